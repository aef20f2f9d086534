# Sourced by ./tmlc, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK 25 or fails with a message.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC"
tml_find_jdk() {
  local c
  for c in "${TML_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25* /usr/lib/jvm/*25*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    if "$c/bin/java" -version 2>&1 | head -1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
      export JAVA_HOME="$c"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "tmlc: error: no JDK 25 found (looked in \$TML_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm); set TML_JAVA_HOME" >&2
  return 1
}
