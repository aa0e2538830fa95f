# Sourced by the other scripts: exports JAVA_HOME as a JDK 21 or newer.
# Keeps JAVA_HOME when it already points at one; otherwise takes the newest JDK under /usr/lib/jvm.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  best="" best_major=0
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate" best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "atrium needs a JDK 21 or newer; none found (set JAVA_HOME)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
