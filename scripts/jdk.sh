# Sourced by the other scripts: exports JAVA_HOME as a JDK 21 or newer (Helidon 4 needs it; the machine's
# default java may be 17). Takes JAVA_HOME when it is new enough, else the newest JDK under /usr/lib/jvm.

java_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME=$candidate
      return 0
    fi
  done
  echo "CacheGrid needs a JDK 21 or newer (Java 25 recommended): set JAVA_HOME to one, or install one under /usr/lib/jvm (e.g. Temurin 25)." >&2
  return 1
}

find_jdk || return 1 2>/dev/null || exit 1  # sourced: the caller decides what a missing JDK means
export PATH="$JAVA_HOME/bin:$PATH"
# JVM flags the server runs with by default (scripts/run.sh, cluster-local.sh; the Docker image and Procfile set the
# same): compact object headers (a product flag from JDK 25) make every cached entry 8 bytes smaller (55 instead of
# 64 bytes beyond key and value, docs/performance.md section 4). JAVA_OPTS comes after them, so it can turn them off.
CACHEGRID_JVM_DEFAULTS=""
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ] 2>/dev/null; then
  CACHEGRID_JVM_DEFAULTS="-XX:+UseCompactObjectHeaders"
fi
export CACHEGRID_JVM_DEFAULTS
# Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe on every run; allow it quietly (the flag exists from JDK 23).
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
