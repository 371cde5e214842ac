#!/bin/sh
# Builds distrolix's JNI libraries into OUT with gcc and a JDK's jni.h (JAVA_HOME's, else any under
# /usr/lib/jvm: Temurin's ships none):
#   libdistrolix-zlib.so    dev.distrolix.tar.ZlibJni (distrolix-zlib.c), with zlib's header (Debian: zlib1g-dev)
#   libdistrolix-crypto.so  dev.distrolix.blob.Sha256Jni, dev.distrolix.sign.keys.ScryptJni (distrolix-crypto.c),
#                           with OpenSSL's header (libssl-dev)
#   libdistrolix-xz.so      dev.distrolix.nix.substituter.XzJni (distrolix-xz.c), with liblzma's (liblzma-dev)
#   libdistrolix-isal.so    dev.distrolix.blob.IsalInflater (distrolix-isal.c), with ISA-L's (libisal-dev)
# Run by distrolix-core's pom. Where something one of them needs is missing it says so and builds not that one:
# gzip layers then deflate with the JDK's zlib, digests are the JDK's SHA-256, xz NARs are decoded in Java, gzip
# is inflated by the JDK's zlib (the same bytes, slower).
# Usage: build.sh OUT JAVA_HOME
set -eu
out=$1
here=$(dirname "$0")
jni=
for d in "$2/include" /usr/lib/jvm/*/include; do
  if [ -f "$d/jni.h" ] && [ -f "$d/linux/jni_md.h" ]; then jni=$d; break; fi
done

# library NAME SOURCE HEADER PACKAGE LINK WITHOUT: builds OUT/libNAME.so unless it is newer than its source
library() {
  lib=$out/lib$1.so
  src=$here/$2
  [ -f "$lib" ] && [ "$lib" -nt "$src" ] && return 0
  missing=
  command -v gcc >/dev/null 2>&1 || missing="gcc"
  [ -f "/usr/include/$3" ] || missing="$missing $3 ($4)"
  [ -n "$jni" ] || missing="$missing jni.h (a JDK's include/)"
  if [ -n "$missing" ]; then
    echo "distrolix-core: lib$1.so not built, missing:$missing; $6" >&2
    return 0
  fi
  mkdir -p "$out"
  gcc -O2 -fPIC -shared -Wall -Wextra -I"$jni" -I"$jni/linux" "$src" "$5" -o "$lib.tmp"
  mv -f "$lib.tmp" "$lib"
}

library distrolix-zlib distrolix-zlib.c zlib.h zlib1g-dev -lz "gzip layers deflate with the JDK's zlib"
library distrolix-crypto distrolix-crypto.c openssl/evp.h libssl-dev -lcrypto "digests are the JDK's SHA-256, scrypt BouncyCastle's"
library distrolix-xz distrolix-xz.c lzma.h liblzma-dev -llzma "xz NARs are decoded in Java"
library distrolix-isal distrolix-isal.c isa-l/igzip_lib.h libisal-dev -lisal "gzip is inflated by the JDK's zlib"
