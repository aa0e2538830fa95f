# Build: full JDK + Maven; run: JRE only, as a non-root user.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/atrium atrium
WORKDIR /opt/atrium
COPY --from=build /src/target/atrium.jar atrium.jar
COPY conf conf
USER atrium
# Listening on every interface needs an API token: atrium refuses to start open beyond loopback.
#   docker run -p 8080:8080 -e ATRIUM_HTTP_API_TOKEN=$(openssl rand -hex 32) -v atrium-data:/var/lib/atrium/data atrium
ENV ATRIUM_DATA_DIR=/var/lib/atrium/data ATRIUM_HTTP_HOST=0.0.0.0
VOLUME /var/lib/atrium/data
EXPOSE 8080
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/atrium/atrium.jar", "/opt/atrium/conf/atrium.yaml"]
