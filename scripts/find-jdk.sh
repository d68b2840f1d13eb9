# Finds a JDK >= 21 and exports JAVA_HOME to it. Sourced by ./rdpdoctor and ./test, so the two
# always agree on which JDK builds and runs the project. With the argument "jre" (the launcher in
# an unpacked release, which builds nothing) any Java runtime >= 21 will do.
#
# Order: RDPDOCTOR_JAVA_HOME, JAVA_HOME, the java on PATH, then the usual install folders
# (Debian/Ubuntu /usr/lib/jvm, /opt, SDKMAN, IntelliJ's ~/.jdks, asdf, macOS). A JDK is a folder
# with bin/java and bin/javac (a JRE: bin/java); its version comes from its `release` file, or from
# `java -version`.

rdpdoctor_jdk_major() { # $1 = candidate home, $2 = "jre" to accept one; sets rdpdoctor_major to its feature version
  # Plain bash reads the `release` file: the launcher runs this for every candidate on every run,
  # and a fork per candidate was most of its start-up cost.
  local home=$1 v="" line
  rdpdoctor_major=""
  [ -x "$home/bin/java" ] || return 1
  [ "${2:-}" = jre ] || [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then v=${BASH_REMATCH[1]}; break; fi
    done <"$home/release"
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  v=${v#1.} # 1.8 style
  v=${v%%[.+-]*}
  [[ $v =~ ^[0-9]+$ ]] || return 1
  rdpdoctor_major=$v
}

rdpdoctor_find_jdk() { # $1 = "jre": a runtime is enough
  local kind=${1:-jdk} candidates=() c best="" best_major=0 major
  [ -n "${RDPDOCTOR_JAVA_HOME:-}" ] && candidates+=("$RDPDOCTOR_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)" 2>/dev/null) && candidates+=("${c%/bin/java}")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.asdf/installs/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home \
           "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  # The first candidate that is new enough wins (so an explicit JAVA_HOME is respected); among
  # the install folders, the newest wins.
  for c in "${candidates[@]}"; do
    rdpdoctor_jdk_major "$c" "$kind" || continue
    major=$rdpdoctor_major
    [ "$major" -ge 21 ] || continue
    if [ "$c" = "${RDPDOCTOR_JAVA_HOME:-}" ] || [ "$c" = "${JAVA_HOME:-}" ]; then
      best=$c best_major=$major; break
    fi
    if [ "$major" -gt "$best_major" ]; then best=$c; best_major=$major; fi
  done
  if [ -z "$best" ] && [ "$kind" = jre ]; then
    cat >&2 <<'MSG'
rdpdoctor needs Java 21 or newer (a runtime, JRE, is enough). None was found in
RDPDOCTOR_JAVA_HOME, JAVA_HOME, PATH or the usual install folders. Install one, for example:
  Debian/Ubuntu:  sudo apt-get install openjdk-21-jre-headless   (or Temurin 21/25 from adoptium.net)
  Fedora/RHEL:    sudo dnf install java-21-openjdk-headless
  macOS:          brew install --cask temurin@21   (brew's openjdk@21 is found only on PATH or as JAVA_HOME)
  Windows:        winget install EclipseAdoptium.Temurin.21.JRE
then run the command again, or set RDPDOCTOR_JAVA_HOME to its folder. The linux-x64 tarball
brings its own runtime and needs none.
MSG
    return 1
  fi
  if [ -z "$best" ]; then
    cat >&2 <<'MSG'
rdpdoctor needs a JDK 21 or newer (a JDK, not only a JRE: it builds itself on first use).
None was found in RDPDOCTOR_JAVA_HOME, JAVA_HOME, PATH or the usual install folders.
Install one, for example:
  Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk-headless   (or Temurin 21/25 from adoptium.net)
  macOS:          brew install openjdk@21
  Windows:        winget install EclipseAdoptium.Temurin.21.JDK
then run the command again, or set RDPDOCTOR_JAVA_HOME to the JDK's folder.
MSG
    return 1
  fi
  export JAVA_HOME=$best
  RDPDOCTOR_JDK_MAJOR=$best_major
}
