#!/usr/bin/env bash
# Benchmark: `distrolix build` (the whole process, JVM start included) against
#   (a) tar | pigz -p2 -6 | sha256sum of the same store paths (the floor: read, gzip, hash), and
#   (b) podman build of an equivalent FROM-scratch Dockerfile that COPYs the closure.
# All measured in this run, on this machine; reported as ratios (lower is better for distrolix).
# Usage: bench/build-bench.sh [RUNS]   (median of RUNS, default 3)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
# This machine reaches no binary cache: without this, Nix spends seconds retrying cache.nixos.org.
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
runs=${1:-3}
testing/install-tools.sh
testing/build-fixtures.sh >/dev/null
[ -x bin/distrolix ] && ls distrolix-cli/target/lib >/dev/null 2>&1 || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-bench.XXXXXX)
trap 'rm -rf "$work"; podman rmi -f localhost/distrolix-bench:pb >/dev/null 2>&1 || true' EXIT
inc=(-I "nixpkgs=$here/testing/debian-pkgs")

now() { date +%s.%N; }
# median of the wall times (seconds) of running "$@" $runs times
timeit() {
  local ts=() t0 t1
  for _ in $(seq 1 "$runs"); do
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  done
  printf '%s\n' "${ts[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

bench_one() {
  local label=$1 spec=$2 attr=$3
  local root closure
  root=$(nix-build testing/debian-pkgs -A "$attr" --no-out-link)
  closure=$(nix-store -qR "$root")
  local mb
  mb=$(du -scb $closure | tail -n 1 | awk '{printf "%.1f", $1/1e6}')
  rm -rf "$work/ctx"; mkdir -p "$work/ctx/nix/store"
  for p in $closure; do cp -a "$p" "$work/ctx/nix/store/"; done
  printf 'FROM scratch\nCOPY nix /nix\n' > "$work/ctx/Dockerfile"

  local t_dx t_warm t_none t_pigz t_podman
  # cold: --no-cache, every layer tarred, compressed and hashed; warm: every layer from the cache
  t_dx=$(timeit bash -c "rm -rf '$work/out' && bin/distrolix build '$spec' ${inc[*]} -q --no-cache -o oci:'$work/out'")
  bin/distrolix build "$spec" "${inc[@]}" -q --cache-dir "$work/cache" -o oci:"$work/warm" >/dev/null
  t_warm=$(timeit bash -c "rm -rf '$work/warm' && bin/distrolix build '$spec' ${inc[*]} -q --cache-dir '$work/cache' -o oci:'$work/warm'")
  # podman keeps layers uncompressed in its store: --compression none is the like-for-like build
  t_none=$(timeit bash -c "rm -rf '$work/none' && bin/distrolix build '$spec' ${inc[*]} -q --no-cache --compression none -o oci:'$work/none'")
  t_pigz=$(timeit bash -c "tar -C / -cf - $(echo "$closure" | sed 's|^/||' | tr '\n' ' ') | pigz -p2 -6 | sha256sum")
  t_podman=$(timeit podman build -q --layers=false -t localhost/distrolix-bench:pb "$work/ctx")
  printf '%-6s %7s MB %4d paths | distrolix gzip %5.2fs, none %5.2fs, warm %5.2fs | tar|pigz|sha256 %5.2fs | podman build %5.2fs\n' \
    "$label" "$mb" "$(echo "$closure" | wc -l)" "$t_dx" "$t_none" "$t_warm" "$t_pigz" "$t_podman"
  printf '%-6s ratios: distrolix gzip / pigz pipeline %.2fx | podman build / distrolix none %.2fx | podman build / distrolix gzip %.2fx | podman build / distrolix warm %.2fx\n' \
    "$label" "$(awk -v a="$t_dx" -v b="$t_pigz" 'BEGIN{print a/b}')" "$(awk -v a="$t_podman" -v b="$t_none" 'BEGIN{print a/b}')" \
    "$(awk -v a="$t_podman" -v b="$t_dx" 'BEGIN{print a/b}')" "$(awk -v a="$t_podman" -v b="$t_warm" 'BEGIN{print a/b}')"
}

echo "distrolix build benchmark: median of $runs runs, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
bench_one nginx examples/nginx/image.yaml nginx
bench_one jre bench/jre.yaml jre
