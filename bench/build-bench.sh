#!/usr/bin/env bash
# Benchmark: `distrolix build` (the whole process, JVM start included), interleaved A B A B … with
# floors and peers measured in the same run, on the nginx example, the JRE closure and two synthetic
# closures (testing/synthetic: 3,001 small store paths; one ~1 GB store path), then `inspect`:
#   --version    A = java -version of the java distrolix runs on, B = distrolix --version (start-up alone)
#   gzip cold    A = tar | pigz -p2 -6 | sha256sum of the closure (the floor: read, gzip, hash)
#   zstd cold    A = tar | zstd -T2 -3 | sha256sum                 B = build --compression zstd
#   uncompressed A = podman build of a FROM-scratch Dockerfile that COPYs the closure (podman
#                    keeps layers uncompressed: the like-for-like build is --compression none)
#   warm         A = the gzip floor, B = build with every layer in the cache
#   (the synthetic closures: gzip cold and warm only)
#   10->100 layers  the 3,001 paths in 10 layers (A) and in 100 (B), cold and warm: what a layer costs
#   inspect      A = skopeo inspect --raw of the layout (reads the manifest only), B = distrolix inspect
#                (reads every layer: files, sizes, store paths): not the same work, a scale of it
#   inspect again  the same, distrolix replaying what it recorded of each layer (blobs still hashed)
# Every B is `distrolix build … --no-cache` unless said. Lower B/A is better for distrolix.
# Usage: bench/build-bench.sh [ROUNDS]   (default 5; CI runs 1 so that it never rots)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
. bench/lib.sh
# This machine reaches no binary cache: without this, Nix spends seconds retrying cache.nixos.org.
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
rounds=${1:-5}
testing/install-tools.sh
testing/build-fixtures.sh nginx jre syn-paths3000 syn-gigabyte >/dev/null
[ -f distrolix-cli/target/distrolix.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-bench.XXXXXX)
trap 'rm -rf "$work"; podman rmi -f localhost/distrolix-bench:pb >/dev/null 2>&1 || true' EXIT
inc="-I nixpkgs=$here/testing/debian-pkgs"
D="$here/bin/distrolix"

# What a layer costs: the same closure in 100 layers against 10, cold (--no-cache) and warm: the median and range of
# each round's difference (B - A, the two runs of a round side by side) over the 90 more layers (goal: under 1 ms)
per_layer() {
  local spec=$1 kind opts10 opts100 out
  "$D" build "$spec" $inc -q --cache-dir "$work/c10" --max-layers 10 -o "oci:$work/l10:1" >/dev/null
  "$D" build "$spec" $inc -q --cache-dir "$work/c100" --max-layers 100 -o "oci:$work/l100:1" >/dev/null
  for kind in cold warm; do
    opts10="--no-cache" opts100="--no-cache"
    [ $kind = warm ] && opts10="--cache-dir $work/c10" opts100="--cache-dir $work/c100"
    out=$(BENCH_DIFF=1 bench_pair "10->100 layers $kind" "$rounds" \
      "rm -rf $work/l10" "$D build $spec $inc -q $opts10 --max-layers 10 -o oci:$work/l10:1" \
      "rm -rf $work/l100" "$D build $spec $inc -q $opts100 --max-layers 100 -o oci:$work/l100:1")
    grep -v " diff " <<<"$out"
    read -r dmed dmin dmax <<<"$(bench_diffs "$out")"
    awk -v l="10->100 layers $kind" -v d="$dmed" -v lo="$dmin" -v hi="$dmax" 'BEGIN {
      printf "%-20s per layer %.2f ms (%.2f–%.2f: each round'"'"'s B - A over 90 more layers; goal < 1 ms)\n", l,
        d * 1000 / 90, lo * 1000 / 90, hi * 1000 / 90}'
  done
}

echo "distrolix build benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median (min–max) of $rounds interleaved rounds"
# start-up alone: `java -version` of the java bin/distrolix runs on (bin/choose-java.sh) against
# `distrolix --version`
. bin/choose-java.sh
choose_java
bench_pair "--version" "$rounds" ":" "$jbin -version" ":" "$D --version"
for name in nginx jre paths3000 gigabyte; do
  case $name in
    nginx) spec=examples/nginx/image.yaml; fixture=nginx ;;
    jre) spec=bench/jre.yaml; fixture=jre ;;
    *) spec=bench/$name.yaml; fixture=syn-$name ;;
  esac
  root=$(readlink -f "testing/result/$fixture")
  paths=$(nix-store -qR "$root" | sed 's|^/||' | tr '\n' ' ')
  echo "$name: $(nix-store -qR "$root" | wc -l) paths, $(du -scb $(nix-store -qR "$root") | tail -n 1 | awk '{printf "%.1f MB", $1/1e6}')"
  nix-store -qR "$root" | sed 's|^/||' > "$work/paths"
  floor="tar -C / -cf - -T $work/paths | pigz -p2 -6 | sha256sum"
  bench_pair "$name gzip cold" "$rounds" \
    ":" "$floor" \
    "rm -rf $work/g" "$D build $spec $inc -q --no-cache -o oci:$work/g:1"
  if [ $name = paths3000 ] || [ $name = gigabyte ]; then
    "$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "oci:$work/w:1" >/dev/null
    bench_pair "$name warm" "$rounds" \
      ":" "$floor" \
      "rm -rf $work/w" "$D build $spec $inc -q --cache-dir $work/cache -o oci:$work/w:1"
    [ $name = paths3000 ] && per_layer "$spec"
    continue
  fi
  rm -rf "$work/ctx"; mkdir -p "$work/ctx/nix/store"
  for p in $paths; do cp -a "/$p" "$work/ctx/nix/store/"; done
  printf 'FROM scratch\nCOPY nix /nix\n' > "$work/ctx/Dockerfile"
  bench_pair "$name zstd cold" "$rounds" \
    ":" "tar -C / -cf - $paths | zstd -q -T2 -3 | sha256sum" \
    "rm -rf $work/z" "$D build $spec $inc -q --no-cache --compression zstd -o oci:$work/z:1"
  bench_pair "$name uncompressed" "$rounds" \
    ":" "podman build -q --layers=false -t localhost/distrolix-bench:pb $work/ctx" \
    "rm -rf $work/n" "$D build $spec $inc -q --no-cache --compression none -o oci:$work/n:1"
  "$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "oci:$work/w:1" >/dev/null
  bench_pair "$name warm" "$rounds" \
    ":" "$floor" \
    "rm -rf $work/w" "$D build $spec $inc -q --cache-dir $work/cache -o oci:$work/w:1"
  # inspect keeps what it read of each layer beside the layer cache (here $work/inspect-cache) and replays it for
  # an image with the same layer: "inspect" reads every layer (no records: each round removes them), "inspect
  # again" replays them (it still reads each blob through SHA-256)
  bench_pair "$name inspect" "$rounds" \
    ":" "skopeo inspect --raw oci:$work/w:1" \
    "rm -rf $work/inspect-cache" "DISTROLIX_CACHE_DIR=$work/inspect-cache $D inspect oci:$work/w:1"
  bench_pair "$name inspect again" "$rounds" \
    ":" "skopeo inspect --raw oci:$work/w:1" \
    ":" "DISTROLIX_CACHE_DIR=$work/inspect-cache $D inspect oci:$work/w:1"
done
