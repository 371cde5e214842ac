#!/usr/bin/env bash
# Benchmark: pushes to a local registry (the real distribution registry), the nginx example,
# interleaved A B A B … against skopeo measured in the same run:
#   unchanged re-push  A = skopeo copy of the pushed image's layout again, B = build + push, nothing changed
#   edit + push        A = skopeo copy of a layout with index.html edited (built beforehand, untimed),
#                      B = distrolix rebuild + push of that edit (warm layer cache)
#   edit + push (lock) the same with a fresh lock beside the spec (`distrolix lock`, from a signed file://
#                      binary cache of the closure): the build evaluates nothing and, warm, runs no Nix process;
#                      re-push (lock): the first case so
#   cold runner        A = the edit + push above (warm layer cache), B = the same from an empty layer cache:
#                      the store layers are fetched from the image already under the target's tag
#   copy               A = skopeo copy oci:LAYOUT docker://…/NEW, B = distrolix copy of the same
#   far: …             edit + push, cold runner and copy again, to the same registry through bench/delay-proxy.py
#                      (each chunk held 10 ms each way: 20 ms round trips, a registry across a network)
# Usage: bench/push-bench.sh [ROUNDS]   (default 5; CI runs 1 so that it never rots)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
. bench/lib.sh
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
rounds=${1:-5}
testing/install-tools.sh
testing/build-fixtures.sh nginx >/dev/null
[ -f distrolix-cli/target/distrolix.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-push-bench.XXXXXX)
regpid=
proxypid=
trap 'kill $regpid $proxypid 2>/dev/null || true; rm -rf "$work"' EXIT
bench_registry "$work" # sets port and regpid
cp -r examples/nginx "$work/nginx"
spec="$work/nginx/image.yaml"
inc="-I nixpkgs=$here/testing/debian-pkgs"
reg="127.0.0.1:$port"
D="$here/bin/distrolix"
sk="skopeo copy -q --dest-tls-verify=false"

echo "push benchmark, nginx example, local registry, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median (min–max) of $rounds interleaved rounds"
"$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "oci:$work/layout:1" >/dev/null
"$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "docker://$reg/web:1" >/dev/null
$sk "oci:$work/layout:1" "docker://$reg/peer:1"
bench_pair "unchanged re-push" "$rounds" \
  ":" "$sk oci:$work/layout:1 docker://$reg/peer:1" \
  ":" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
n=0
edit() { n=$((n + 1)); echo "<h1>edit $n</h1>" > "$work/nginx/index.html"; }
bench_pair "edit + push" "$rounds" \
  "edit; rm -rf $work/l2; $D build $spec $inc -q --cache-dir $work/cache -o oci:$work/l2:1 >/dev/null" \
  "$sk oci:$work/l2:1 docker://$reg/peer:1" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
# the same from a lock: a signed binary cache of the closure (file://), the spec locked against it
bench_lock_nginx "$work" bench-push-1 # sets lspec
"$D" build "$lspec" -q --cache-dir "$work/cache" -o "docker://$reg/locked:1" >/dev/null
$sk "oci:$work/layout:1" "docker://$reg/peer2:1"
bench_pair "re-push (lock)" "$rounds" \
  ":" "$sk oci:$work/layout:1 docker://$reg/peer2:1" \
  ":" "$D build $lspec -q --cache-dir $work/cache -o docker://$reg/locked:1"
ledit() { n=$((n + 1)); echo "<h1>edit $n</h1>" > "$work/locked/index.html"; }
bench_pair "edit + push (lock)" "$rounds" \
  "ledit; rm -rf $work/l3; $D build $lspec -q --cache-dir $work/cache -o oci:$work/l3:1 >/dev/null" \
  "$sk oci:$work/l3:1 docker://$reg/peer:1" \
  "ledit" "$D build $lspec -q --cache-dir $work/cache -o docker://$reg/locked:1"
# a runner whose layer cache is empty (a fresh CI machine) while the registry holds the previous image:
# its layers are fetched (checked) from the target's tag instead of made. Goal: B <= 1.5 x A (warm).
bench_pair "cold runner vs warm" "$rounds" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1" \
  "edit; rm -rf $work/cold" "$D build $spec $inc -q --cache-dir $work/cold -o docker://$reg/web:1"
m=0
bench_pair "copy to a new repo" "$rounds" \
  "m=\$((m + 1)); export m" "$sk oci:$work/layout:1 docker://$reg/sk\$m:1" \
  ":" "$D copy -q oci:$work/layout:1 docker://$reg/dx\$m:1"
# The same registry 20 ms away, as one across a network is: bench/delay-proxy.py holds each chunk 10 ms each way,
# so round trips count more than CPU.
for _ in 1 2 3 4 5; do
  fport=$((20000 + RANDOM % 20000))
  python3 bench/delay-proxy.py "$fport" "$port" 10 2>/dev/null &
  proxypid=$!
  for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$fport/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "http://127.0.0.1:$fport/v2/" >/dev/null 2>&1 && break
  kill $proxypid 2>/dev/null || true
done
far=127.0.0.1:$fport
"$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "docker://$far/far:1" >/dev/null
$sk "oci:$work/layout:1" "docker://$far/farpeer:1"
bench_pair "far: edit + push" "$rounds" \
  "edit; rm -rf $work/l4; $D build $spec $inc -q --cache-dir $work/cache -o oci:$work/l4:1 >/dev/null" \
  "$sk oci:$work/l4:1 docker://$far/farpeer:1" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$far/far:1"
bench_pair "far: cold runner" "$rounds" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$far/far:1" \
  "edit; rm -rf $work/cold" "$D build $spec $inc -q --cache-dir $work/cold -o docker://$far/far:1"
bench_pair "far: copy" "$rounds" \
  "m=\$((m + 1)); export m" "$sk oci:$work/layout:1 docker://$far/fsk\$m:1" \
  ":" "$D copy -q oci:$work/layout:1 docker://$far/fdx\$m:1"
