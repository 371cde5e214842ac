#!/usr/bin/env bash
# Benchmark: what signing costs a push. The nginx example, index.html edited before every run (so
# every run makes a new image and a new signature), warm layer cache, the real distribution registry,
# interleaved A B A B …:
#   A = build + push                       B = build + push + sign + attest (SBOM, provenance)
# Goal: B − A ≤ 0.2 s. Usage: bench/sign-bench.sh [ROUNDS]   (default 5; CI runs 1 so that it never rots)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
. bench/lib.sh
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
rounds=${1:-5}
testing/install-tools.sh
testing/build-fixtures.sh nginx >/dev/null
[ -f distrolix-cli/target/distrolix.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-sign-bench.XXXXXX)
regpid=
trap 'kill $regpid 2>/dev/null || true; rm -rf "$work"' EXIT
bench_registry "$work" # sets port and regpid
cp -r examples/nginx "$work/nginx"
spec="$work/nginx/image.yaml"
inc="-I nixpkgs=$here/testing/debian-pkgs"
reg="127.0.0.1:$port"
D="$here/bin/distrolix"
export COSIGN_PASSWORD=bench
(cd "$work" && "$D" keygen >/dev/null)

echo "signing benchmark, nginx example, local registry, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median (min–max) of $rounds interleaved rounds"
"$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "docker://$reg/plain:1" >/dev/null
n=0
edit() { n=$((n + 1)); echo "<h1>edit $n</h1>" > "$work/nginx/index.html"; }
out=$(BENCH_DIFF=1 bench_pair "edit + push (+sign)" "$rounds" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$reg/plain:1" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$reg/signed:1 --sign-key $work/cosign.key")
grep -v " diff " <<<"$out"
read -r dmed dmin dmax <<<"$(bench_diffs "$out")"
awk -v d="$dmed" -v lo="$dmin" -v hi="$dmax" 'BEGIN {
  printf "%-20s B - A %+.2fs (%+.2f–%+.2f: each round'"'"'s B - A; goal <= 0.20s)\n", "edit + push (+sign)", d, lo, hi}'
"$D" verify "docker://$reg/signed:1" --key "$work/cosign.pub" --attestation provenance >/dev/null
