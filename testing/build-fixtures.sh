#!/usr/bin/env bash
# Builds every test fixture under testing/ and prints "<name> <store path>" per fixture.
#
#   testing/build-fixtures.sh            # everything
#   testing/build-fixtures.sh nginx jre  # only these (names as printed below)
#
# Steps: testing/debian-pkgs/fetch-debs.sh (apt-get download, skipped when the .debs
# are present; DEB_ARCH=arm64 too for the *-arm64 fixtures), then nix-build of
# testing/debian-pkgs and testing/tiny-closure with
# out-links in testing/result/<name> (gitignored; they are also GC roots, so
# nix-collect-garbage keeps the fixtures). Idempotent; a second run takes seconds.
# Nix output goes to testing/result/build.log and is shown only on failure.
# The *-arm64 fixtures are aarch64-linux derivations of arm64 binaries: they need qemu binfmt
# and Nix's extra-platforms = aarch64-linux (testing/install-tools.sh sets both up).
set -euo pipefail

testing="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
results="$testing/result"
log="$results/build.log"

die() { echo "build-fixtures: $*" >&2; exit 1; }

for tool in nix-build nix-store dpkg-deb patchelf; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "'$tool' not found (apt-get install -y nix-bin patchelf; see testing/README.md)"
done

# name | expression file | nix-build arguments
FIXTURES=(
  "glibc|debian-pkgs|-A glibc"
  "zlib|debian-pkgs|-A zlib"
  "zlib2|debian-pkgs|-A zlib2"
  "pcre2|debian-pkgs|-A pcre2"
  "libxcrypt|debian-pkgs|-A libxcrypt"
  "openssl|debian-pkgs|-A openssl"
  "nginx|debian-pkgs|-A nginx"
  "nginxWithZlib2|debian-pkgs|-A nginxWithZlib2"
  "busybox|debian-pkgs|-A busybox"
  "strace|debian-pkgs|-A strace"
  "jre|debian-pkgs|-A jre"
  "nginx-arm64|debian-pkgs|-A nginx --argstr system aarch64-linux"
  "busybox-arm64|debian-pkgs|-A busybox --argstr system aarch64-linux"
  "tiny-big|tiny-closure|-A big"
  "tiny-big-salted|tiny-closure|-A big --argstr leafSalt 1"
  "syn-paths3000|synthetic|-A paths3000"
  "syn-gigabyte|synthetic|-A gigabyte"
)
# Built only when named (the benches name them): the gigabyte takes ~8 s and 1 GB of store.
BENCH_ONLY=" syn-paths3000 syn-gigabyte "

wanted=("$@")
selected() {
  [ "${#wanted[@]}" -eq 0 ] && { [[ $BENCH_ONLY != *" $1 "* ]]; return; }
  local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}
if [ "${#wanted[@]}" -gt 0 ]; then
  for w in "${wanted[@]}"; do
    printf '%s\n' "${FIXTURES[@]}" | cut -d'|' -f1 | grep -qx -- "$w" || die "unknown fixture '$w'"
  done
fi

mkdir -p "$results"
: >"$log"

need_debs=0 need_debs_arm64=0
for f in "${FIXTURES[@]}"; do
  IFS='|' read -r name file args <<<"$f"
  if selected "$name" && [ "$file" = debian-pkgs ]; then
    case "$args" in
      *"system aarch64-linux"*) need_debs_arm64=1 ;;
      *) need_debs=1 ;;
    esac
  fi
done
if [ "$need_debs" = 1 ]; then
  "$testing/debian-pkgs/fetch-debs.sh"
fi
if [ "$need_debs_arm64" = 1 ]; then
  DEB_ARCH=arm64 "$testing/debian-pkgs/fetch-debs.sh"
fi

# No binary cache is reachable from the project's machines: do not try cache.nixos.org.
NIX_OPTS=(--option substituters "")

for f in "${FIXTURES[@]}"; do
  IFS='|' read -r name file args <<<"$f"
  selected "$name" || continue
  # shellcheck disable=SC2086 # args is a list of words
  if ! path="$(nix-build "${NIX_OPTS[@]}" "$testing/$file" $args -o "$results/$name" 2>>"$log")"; then
    tail -n 30 "$log" >&2
    case "$args" in
      *aarch64-linux*) die "nix-build $file $args failed (full log: $log); aarch64-linux needs qemu binfmt" \
        "and extra-platforms = aarch64-linux in /etc/nix/nix.conf: run testing/install-tools.sh as root" ;;
    esac
    die "nix-build $file $args failed (full log: $log)"
  fi
  printf '%s %s\n' "$name" "$path"
done

# Sanity checks on the shapes the tests rely on.
count() { nix-store -qR "$1" | wc -l; }
if selected nginx; then
  n="$(count "$results/nginx")"
  [ "$n" -eq 6 ] || die "nginx closure has $n store paths, expected 6"
fi
# ELF e_machine (u16 LE at offset 18): 3e 00 = x86-64, b7 00 = aarch64.
machine() { od -An -t x1 -j 18 -N 2 "$1" | tr -d ' \n'; }
if selected nginx-arm64; then
  n="$(count "$results/nginx-arm64")"
  [ "$n" -eq 6 ] || die "nginx-arm64 closure has $n store paths, expected 6"
  [ "$(machine "$results/nginx-arm64/bin/nginx")" = b700 ] || die "nginx-arm64's bin/nginx is not an aarch64 program"
fi
if selected busybox-arm64; then
  [ "$(machine "$results/busybox-arm64/bin/busybox")" = b700 ] || die "busybox-arm64's bin/busybox is not an aarch64 program"
fi
if selected syn-paths3000; then
  n="$(count "$results/syn-paths3000")"
  [ "$n" -eq 3001 ] || die "syn-paths3000 closure has $n store paths, expected 3001"
fi
if selected tiny-big; then
  n="$(count "$results/tiny-big")"
  [ "$n" -gt 127 ] || die "tiny-big closure has only $n store paths"
fi
