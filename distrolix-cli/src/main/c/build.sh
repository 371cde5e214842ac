#!/bin/sh
# Builds distrolix-client (distrolix-client.c: bin/distrolix runs commands through it in a resident JVM when
# DISTROLIX_DAEMON=1) into OUT with gcc, unless it is newer than its source. Run by distrolix-cli's pom. Without
# gcc it says so and the build goes on: DISTROLIX_DAEMON=1 then runs every command the ordinary way.
# Usage: build.sh OUT
set -eu
out=$1
src=$(dirname "$0")/distrolix-client.c
bin=$out/distrolix-client
[ -f "$bin" ] && [ "$bin" -nt "$src" ] && exit 0
if ! command -v gcc >/dev/null 2>&1; then
  echo "distrolix-cli: distrolix-client not built, missing: gcc; DISTROLIX_DAEMON=1 runs commands the ordinary way" >&2
  exit 0
fi
mkdir -p "$out"
if ! gcc -O2 -Wall -Wextra -o "$bin.tmp" "$src"; then
  rm -f "$bin.tmp"
  echo "distrolix-cli: distrolix-client not built (gcc failed: libc's headers?); DISTROLIX_DAEMON=1 runs commands the ordinary way" >&2
  exit 0
fi
mv -f "$bin.tmp" "$bin"
