#!/usr/bin/env bash
# Benchmark: this checkout (B) against another built checkout (A, e.g. the commit before a
# refactor), whole processes, interleaved A B A B …: `--version`, then a cold build (no cache, gzip; then zstd;
# for the JRE also uncompressed), a warm build (every layer from the cache) and `inspect` of the built image, on the
# nginx example and the JRE.
# Usage: bench/revisions-bench.sh OTHER_CHECKOUT [ROUNDS]    (both built: mvn -q -DskipTests package)
# Example: git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q -DskipTests package)
#          bench/revisions-bench.sh /tmp/before 7
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
other="$(cd "${1:?usage: bench/revisions-bench.sh OTHER_CHECKOUT [ROUNDS]}" && pwd)"
rounds=${2:-5}
cd "$here"
. bench/lib.sh
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
testing/build-fixtures.sh nginx jre >/dev/null
for d in "$other" "$here"; do
  [ -f "$d"/distrolix-cli/target/distrolix.jar ] || [ -d "$d"/distrolix-cli/target/lib ] || { echo "bench: $d is not built (mvn -q -DskipTests package)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/distrolix-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
inc="-I nixpkgs=$here/testing/debian-pkgs"
A="$other/bin/distrolix"
# each case makes both checkouts' start-up archives anew (bench/lib.sh)
export BENCH_ARCHIVE_DIRS="distrolix-cli/target $other/distrolix-cli/target"
B="$here/bin/distrolix"

echo "A = $other ($(git -C "$other" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "B = $here ($(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median (min–max) of $rounds interleaved rounds"
bench_pair "--version" "$rounds" ":" "$A --version" ":" "$B --version"
for spec in examples/nginx/image.yaml bench/jre.yaml; do
  name=$(basename "$(dirname "$spec")"); [ "$name" = bench ] && name=jre
  bench_pair "$name cold build" "$rounds" \
    "rm -rf $work/a" "$A build $spec $inc -q --no-cache -o oci:$work/a:1" \
    "rm -rf $work/b" "$B build $spec $inc -q --no-cache -o oci:$work/b:1"
  bench_pair "$name zstd cold" "$rounds" \
    "rm -rf $work/za" "$A build $spec $inc -q --no-cache --compression zstd -o oci:$work/za:1" \
    "rm -rf $work/zb" "$B build $spec $inc -q --no-cache --compression zstd -o oci:$work/zb:1"
  if [ "$name" = jre ]; then
    bench_pair "$name uncompressed" "$rounds" \
      "rm -rf $work/na" "$A build $spec $inc -q --no-cache --compression none -o oci:$work/na:1" \
      "rm -rf $work/nb" "$B build $spec $inc -q --no-cache --compression none -o oci:$work/nb:1"
  fi
  "$A" build "$spec" $inc -q --cache-dir "$work/ca" -o "oci:$work/wa:1" >/dev/null
  "$B" build "$spec" $inc -q --cache-dir "$work/cb" -o "oci:$work/wb:1" >/dev/null
  bench_pair "$name warm build" "$rounds" \
    "rm -rf $work/wa" "$A build $spec $inc -q --cache-dir $work/ca -o oci:$work/wa:1" \
    "rm -rf $work/wb" "$B build $spec $inc -q --cache-dir $work/cb -o oci:$work/wb:1"
  bench_pair "$name inspect" "$rounds" \
    ":" "$A inspect oci:$work/a:1" \
    ":" "$B inspect oci:$work/b:1"
done
