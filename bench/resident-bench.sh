#!/usr/bin/env bash
# Benchmark: distrolix in a resident JVM (DISTROLIX_DAEMON=1, bin/distrolix through distrolix-client) against the
# same floors and peers as bench/build-bench.sh and bench/push-bench.sh, measured in the same run, interleaved
# (A B A B …), and against the ordinary distrolix (a JVM a run) where that shows the difference:
#   --version          A = java -version of the java distrolix runs on, B = resident distrolix --version
#   nginx gzip cold    A = tar | pigz -p2 -6 | sha256sum of the closure (the floor), B = resident build --no-cache
#   paths3000 cold/warm A = the same floor of the 3,001-path closure, B = resident build, cold and warm
#   paths3000 cold (lock) A = the same floor, B = a resident cold build from a lock (no Nix program runs)
#   unchanged re-push, edit + push, re-push (lock), edit + push (lock), copy to a new repo:
#                      A = skopeo copy (as bench/push-bench.sh), B = resident distrolix
#   cold runner vs warm A = resident edit + push, B = the same from an empty layer cache
#   ordinary vs resident: A = distrolix (a JVM a run), B = resident: edit + push, copy
# B's CPU and RSS include the resident JVM's (bench/lib.sh: BENCH_RESIDENT_DIR): the CPU it and its children
# (Nix) spent in the run, and its peak RSS since it started. Each case's B runs a few times before the rounds:
# the first starts the resident JVM, the next ones are its first (slow) runs of that code.
# Usage: bench/resident-bench.sh [ROUNDS]   (default 5; CI runs 1 so that it never rots)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
. bench/lib.sh
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
rounds=${1:-5}
testing/install-tools.sh
testing/build-fixtures.sh nginx syn-paths3000 >/dev/null
[ -f distrolix-cli/target/distrolix.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-resident-bench.XXXXXX)
# the resident JVMs of this bench in a folder of its own (bin/distrolix puts them in $XDG_RUNTIME_DIR/distrolix)
mkdir -m 700 "$work/run"
export XDG_RUNTIME_DIR=$work/run
export BENCH_RESIDENT_DIR=$work/run/distrolix
export DISTROLIX_DAEMON_IDLE=600
regpid=
D="$here/bin/distrolix"
trap 'DISTROLIX_DAEMON=stop "$D" >/dev/null 2>&1 || true; kill $regpid 2>/dev/null || true; rm -rf "$work"' EXIT
bench_registry "$work" # sets port and regpid
reg="127.0.0.1:$port"
R="DISTROLIX_DAEMON=1 $D"
inc="-I nixpkgs=$here/testing/debian-pkgs"
sk="skopeo copy -q --dest-tls-verify=false"
cp -r examples/nginx "$work/nginx"
spec="$work/nginx/image.yaml"
[ -x distrolix-cli/target/native/linux/*/distrolix-client ] || { echo "bench: distrolix-client was not built (gcc?)" >&2; exit 1; }

# warm CMD: runs it (output discarded) until the resident JVM serves it, then twice more (its first runs of the
# code compile it)
warm() {
  local i
  for i in $(seq 1 40); do
    eval "$1" >/dev/null 2>&1 || { echo "bench: failed: $1" >&2; return 1; }
    ls "$BENCH_RESIDENT_DIR"/*.sock >/dev/null 2>&1 && break
    sleep 0.25
  done
  for i in 1 2 3; do eval "$1" >/dev/null 2>&1; done
}

echo "resident JVM benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median (min–max) of $rounds interleaved rounds"
. bin/choose-java.sh
choose_java
warm "$R --version"
bench_pair "--version" "$rounds" ":" "$jbin -version" ":" "$R --version"

for name in nginx paths3000; do
  case $name in
    nginx) s=$spec; fixture=nginx ;;
    *) s=bench/$name.yaml; fixture=syn-$name ;;
  esac
  root=$(readlink -f "testing/result/$fixture")
  nix-store -qR "$root" | sed 's|^/||' > "$work/paths"
  floor="tar -C / -cf - -T $work/paths | pigz -p2 -6 | sha256sum"
  warm "rm -rf $work/g; $R build $s $inc -q --no-cache -o oci:$work/g:1"
  bench_pair "$name gzip cold" "$rounds" \
    ":" "$floor" \
    "rm -rf $work/g" "$R build $s $inc -q --no-cache -o oci:$work/g:1"
  if [ $name = paths3000 ]; then
    warm "rm -rf $work/w; $R build $s $inc -q --cache-dir $work/cache -o oci:$work/w:1"
    bench_pair "$name warm" "$rounds" \
      ":" "$floor" \
      "rm -rf $work/w" "$R build $s $inc -q --cache-dir $work/cache -o oci:$work/w:1"
    bench_lock_paths3000 "$work" bench-resident-p # sets pspec
    warm "rm -rf $work/gl; $R build $pspec -q --no-cache -o oci:$work/gl:1"
    bench_pair "$name cold (lock)" "$rounds" \
      ":" "$floor" \
      "rm -rf $work/gl" "$R build $pspec -q --no-cache -o oci:$work/gl:1"
  fi
done

"$D" build "$spec" $inc -q --cache-dir "$work/cache" -o "oci:$work/layout:1" >/dev/null
$sk "oci:$work/layout:1" "docker://$reg/peer:1"
warm "$R build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
bench_pair "unchanged re-push" "$rounds" \
  ":" "$sk oci:$work/layout:1 docker://$reg/peer:1" \
  ":" "$R build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
n=0
edit() { n=$((n + 1)); echo "<h1>edit $n</h1>" > "$work/nginx/index.html"; }
warm "edit; $R build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
bench_pair "edit + push" "$rounds" \
  "edit; rm -rf $work/l2; $D build $spec $inc -q --cache-dir $work/cache -o oci:$work/l2:1 >/dev/null" \
  "$sk oci:$work/l2:1 docker://$reg/peer:1" \
  "edit" "$R build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
# from a lock: a signed binary cache of the closure (file://), the spec locked against it (as push-bench.sh)
bench_lock_nginx "$work" bench-resident-1 # sets lspec
$sk "oci:$work/layout:1" "docker://$reg/peer2:1"
warm "$R build $lspec -q --cache-dir $work/cache -o docker://$reg/locked:1"
bench_pair "re-push (lock)" "$rounds" \
  ":" "$sk oci:$work/layout:1 docker://$reg/peer2:1" \
  ":" "$R build $lspec -q --cache-dir $work/cache -o docker://$reg/locked:1"
ledit() { n=$((n + 1)); echo "<h1>edit $n</h1>" > "$work/locked/index.html"; }
warm "ledit; $R build $lspec -q --cache-dir $work/cache -o docker://$reg/locked:1"
bench_pair "edit + push (lock)" "$rounds" \
  "ledit; rm -rf $work/l3; $D build $lspec -q --cache-dir $work/cache -o oci:$work/l3:1 >/dev/null" \
  "$sk oci:$work/l3:1 docker://$reg/peer:1" \
  "ledit" "$R build $lspec -q --cache-dir $work/cache -o docker://$reg/locked:1"
warm "edit; rm -rf $work/cold; $R build $spec $inc -q --cache-dir $work/cold -o docker://$reg/web:1"
bench_pair "cold runner vs warm" "$rounds" \
  "edit" "$R build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1" \
  "edit; rm -rf $work/cold" "$R build $spec $inc -q --cache-dir $work/cold -o docker://$reg/web:1"
# each copy to a repository named by its shell's pid: a variable exported for the name would give each run another
# environment, and so a resident JVM of its own (it serves one environment)
warm "$R copy -q oci:$work/layout:1 docker://$reg/w\$\$:1"
bench_pair "copy to a new repo" "$rounds" \
  ":" "$sk oci:$work/layout:1 docker://$reg/sk\$\$:1" \
  ":" "$R copy -q oci:$work/layout:1 docker://$reg/dx\$\$:1"
# the difference itself: a JVM a run (A) against the resident one (B)
bench_pair "ordinary vs resident: edit + push" "$rounds" \
  "edit" "$D build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1" \
  "edit" "$R build $spec $inc -q --cache-dir $work/cache -o docker://$reg/web:1"
bench_pair "ordinary vs resident: copy" "$rounds" \
  ":" "$D copy -q oci:$work/layout:1 docker://$reg/o\$\$:1" \
  ":" "$R copy -q oci:$work/layout:1 docker://$reg/r\$\$:1"
