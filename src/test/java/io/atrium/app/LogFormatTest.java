package io.atrium.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogFormatTest {

  @Test
  void everyShippedLogLineStartsWithItsIsoDateTimeAndOffset() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
    @SuppressWarnings("unchecked")
    var appender = (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    LoggingEvent event = new LoggingEvent(LogFormatTest.class.getName(), context.getLogger("io.atrium.app.Main"),
        Level.WARN, "OCR is on but Tesseract is not installed", null, null);
    Instant when = Instant.parse("2025-03-04T05:06:07.089Z");
    event.setInstant(when);

    String line = new String(((PatternLayoutEncoder) appender.getEncoder()).encode(event), StandardCharsets.UTF_8);

    String dateTime = line.substring(0, line.indexOf(' '));
    assertThat(dateTime).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})");
    assertThat(OffsetDateTime.parse(dateTime).toInstant()).isEqualTo(when);
    assertThat(line).contains(" WARN ").contains("OCR is on but Tesseract is not installed");
    context.stop();
  }
}
