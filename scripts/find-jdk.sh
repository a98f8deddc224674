# Sourced by ./jllm, scripts/test and .ci/run: sets JLLM_JAVA_HOME to a JDK that can build and run jllm.
# Order: $JAVA_HOME, then every JDK under /usr/lib/jvm (newest first). jllm compiles for Java 25;
# a JDK 21..24 is recognised and named so the message says exactly what to install.

jllm_java_feature() { # prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  fi
  printf '%s' "$v"
}

jllm_find_jdk() {
  local required=25 candidates=() dir v seen_old=""
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV); do candidates+=("$dir"); done
  for dir in "${candidates[@]}"; do
    v=$(jllm_java_feature "$dir")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$required" ]; then JLLM_JAVA_HOME="$dir"; export JLLM_JAVA_HOME; return 0; fi
    [ "$v" -ge 21 ] && seen_old="$seen_old $dir (JDK $v)"
  done
  {
    echo "jllm: no JDK $required or newer found."
    echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*"
    if [ -n "$seen_old" ]; then
      echo "  found JDK 21+ but older than $required:$seen_old"
      echo "  jllm is compiled for Java $required (Vector API incubator, current language level): install JDK $required."
    fi
    echo "  install a JDK $required (for example Temurin 25) and set JAVA_HOME to it."
  } >&2
  return 1
}
