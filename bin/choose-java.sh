# Sourced by bin/distrolix and by bench/build-bench.sh (which times `java -version` of the same java):
# choose_java sets $jbin to the java distrolix runs on and $mode to how it starts fast — DISTROLIX_JAVA
# if set (a Java 25+ gets the AOT cache, another the AppCDS archive), else the first Java 25+ under
# /usr/lib/jvm (its release file says which), else the java on PATH — and $build to the chosen Java
# 25's JAVA_RUNTIME_VERSION. Shell builtins only: bin/distrolix runs this on every start.

# release JAVA: the JDK's major version and its build (the release file's JAVA_VERSION and
# JAVA_RUNTIME_VERSION), as $major and $build
release() {
  major= build=
  local line
  [ -r "${1%/bin/java}/release" ] || return 0
  while IFS= read -r line; do
    case $line in
      JAVA_VERSION=\"[0-9]*) major=${line#JAVA_VERSION=\"} major=${major%%[!0-9]*} ;;
      JAVA_RUNTIME_VERSION=*) build=${line#*=} ;;
    esac
  done < "${1%/bin/java}/release"
}

choose_java() {
  local candidates j d IFS
  mode=cds
  candidates=(/usr/lib/jvm/*/bin/java)
  [ -n "${DISTROLIX_JAVA:-}" ] && candidates=("$DISTROLIX_JAVA")
  for j in "${candidates[@]}"; do
    [ -x "$j" ] || continue
    release "$j"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      jbin=$j
      mode=aot
      return 0
    fi
  done
  if [ -n "${DISTROLIX_JAVA:-}" ]; then
    jbin=$DISTROLIX_JAVA
    return 0
  fi
  # the java on PATH, found the way `type -P` finds it but without $(…): that subshell was 3 ms of the
  # 4 ms this function took, on every start
  jbin=java
  IFS=:
  for d in $PATH; do
    if [ -f "${d:-.}/java" ] && [ -x "${d:-.}/java" ]; then
      jbin=${d:-.}/java
      return 0
    fi
  done
}
