#!/usr/bin/env bash
# Benchmark: one two-platform build against two one-platform builds, the nginx example, cold layer
# cache each time (the store paths are built), interleaved A B A B …:
#   A = distrolix build --platform linux/amd64 ; distrolix build --platform linux/arm64   (two processes)
#   B = distrolix build --platform linux/amd64,linux/arm64                                  (one index)
# Goal: B ≤ 0.7 × A. Usage: bench/multiarch-bench.sh [ROUNDS]   (default 5; CI runs 1 so that it never rots)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
. bench/lib.sh
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
rounds=${1:-5}
testing/install-tools.sh
testing/build-fixtures.sh nginx nginx-arm64 >/dev/null
[ -f distrolix-cli/target/distrolix.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-multiarch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
spec="$here/examples/nginx/image.yaml"
inc="-I nixpkgs=$here/testing/debian-pkgs"
D="$here/bin/distrolix"

echo "multi-platform benchmark, nginx example (amd64 + arm64 closures), cold layer cache, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median (min–max) of $rounds interleaved rounds"
fresh() { rm -rf "$work/cache" "$work/out-a" "$work/out-b" "$work/out"; }
bench_pair "two builds vs one" "$rounds" \
  "fresh" "$D build $spec $inc -q --cache-dir $work/cache --platform linux/amd64 -o oci:$work/out-a:1 && $D build $spec $inc -q --cache-dir $work/cache --platform linux/arm64 -o oci:$work/out-b:1" \
  "fresh" "$D build $spec $inc -q --cache-dir $work/cache --platform linux/amd64,linux/arm64 -o oci:$work/out:1"
