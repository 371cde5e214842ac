#!/usr/bin/env bash
# Builds every test fixture under testing/ and prints "<name> <store path>" per fixture.
#
#   testing/build-fixtures.sh            # everything
#   testing/build-fixtures.sh nginx jre  # only these (names as printed below)
#
# Steps: testing/debian-pkgs/fetch-debs.sh (apt-get download, skipped when the .debs
# are present), then nix-build of testing/debian-pkgs and testing/tiny-closure with
# out-links in testing/result/<name> (gitignored; they are also GC roots, so
# nix-collect-garbage keeps the fixtures). Idempotent; a second run takes seconds.
# Nix output goes to testing/result/build.log and is shown only on failure.
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
  "tiny-big|tiny-closure|-A big"
  "tiny-big-salted|tiny-closure|-A big --argstr leafSalt 1"
)

wanted=("$@")
selected() {
  [ "${#wanted[@]}" -eq 0 ] && return 0
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

need_debs=0
for f in "${FIXTURES[@]}"; do
  IFS='|' read -r name file _ <<<"$f"
  if selected "$name" && [ "$file" = debian-pkgs ]; then need_debs=1; fi
done
if [ "$need_debs" = 1 ]; then
  "$testing/debian-pkgs/fetch-debs.sh"
fi

# No binary cache is reachable from the project's machines: do not try cache.nixos.org.
NIX_OPTS=(--option substituters "")

for f in "${FIXTURES[@]}"; do
  IFS='|' read -r name file args <<<"$f"
  selected "$name" || continue
  # shellcheck disable=SC2086 # args is a list of words
  if ! path="$(nix-build "${NIX_OPTS[@]}" "$testing/$file" $args -o "$results/$name" 2>>"$log")"; then
    tail -n 30 "$log" >&2
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
if selected tiny-big; then
  n="$(count "$results/tiny-big")"
  [ "$n" -gt 127 ] || die "tiny-big closure has only $n store paths"
fi
