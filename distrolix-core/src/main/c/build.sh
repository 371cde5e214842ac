#!/bin/sh
# Builds OUT/libdistrolix-zlib.so, dev.distrolix.tar.ZlibJni's native methods (distrolix-zlib.c beside this
# script), with gcc, zlib's header (Debian: zlib1g-dev) and a JDK's jni.h (JAVA_HOME's, else any under
# /usr/lib/jvm: Temurin's ships none). Run by distrolix-core's pom. Where one of them is missing it says so and
# builds nothing: gzip layers then deflate with the JDK's zlib (the same bytes, slower).
# Usage: build.sh OUT JAVA_HOME
set -eu
out=$1
src=$(dirname "$0")/distrolix-zlib.c
lib=$out/libdistrolix-zlib.so
[ -f "$lib" ] && [ "$lib" -nt "$src" ] && exit 0
jni=
for d in "$2/include" /usr/lib/jvm/*/include; do
  if [ -f "$d/jni.h" ] && [ -f "$d/linux/jni_md.h" ]; then jni=$d; break; fi
done
missing=
command -v gcc >/dev/null 2>&1 || missing="gcc"
[ -f /usr/include/zlib.h ] || missing="$missing zlib.h (zlib1g-dev)"
[ -n "$jni" ] || missing="$missing jni.h (a JDK's include/)"
if [ -n "$missing" ]; then
  echo "distrolix-core: libdistrolix-zlib.so not built, missing:$missing; gzip layers deflate with the JDK's zlib" >&2
  exit 0
fi
mkdir -p "$out"
gcc -O2 -fPIC -shared -Wall -Wextra -I"$jni" -I"$jni/linux" "$src" -lz -o "$lib.tmp"
mv -f "$lib.tmp" "$lib"
