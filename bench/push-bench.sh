#!/usr/bin/env bash
# Benchmark: the edit–rebuild–push loop against a local registry (the real distribution registry).
#   cold:  empty layer cache, empty repository: build + push of the nginx example (whole process)
#   warm:  index.html edited, rebuild + push (whole process): one layer built, two blobs uploaded
#   peer:  the same pushes done by `skopeo copy oci:… docker://…` from a prebuilt layout
# Reported as seconds and as ratios measured in this run. Usage: bench/push-bench.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$here"
# This machine reaches no binary cache: without this, Nix spends seconds retrying cache.nixos.org.
export NIX_CONFIG="${NIX_CONFIG:-substituters =}"
runs=${1:-5}
testing/install-tools.sh
testing/build-fixtures.sh nginx >/dev/null
ls distrolix-cli/target/lib >/dev/null 2>&1 || mvn -B -q -DskipTests package
work=$(mktemp -d /tmp/distrolix-push-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<CONF
version: 0.1
storage: { filesystem: { rootdirectory: $work/registry-data } }
http: { addr: 127.0.0.1:$port }
log: { level: error }
CONF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
regpid=$!
trap 'kill $regpid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
cp -r examples/nginx "$work/nginx"
inc=(-I "nixpkgs=$here/testing/debian-pkgs")
reg="127.0.0.1:$port"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

t0=$(now)
bin/distrolix build "$work/nginx/image.yaml" "${inc[@]}" -q --cache-dir "$work/cache" -o "docker://$reg/web:1" >/dev/null
cold=$(elapsed "$t0" "$(now)")

warm=()
for i in $(seq 1 "$runs"); do
  echo "<h1>edit $i</h1>" > "$work/nginx/index.html"
  t0=$(now)
  bin/distrolix build "$work/nginx/image.yaml" "${inc[@]}" -q --cache-dir "$work/cache" -o "docker://$reg/web:1" >/dev/null
  warm+=("$(elapsed "$t0" "$(now)")")
done
warm_med=$(printf '%s\n' "${warm[@]}" | median)

# the peer: skopeo pushes layouts that distrolix wrote beforehand (not timed)
bin/distrolix build "$work/nginx/image.yaml" "${inc[@]}" -q --cache-dir "$work/cache" -o "oci:$work/layout:1" >/dev/null
t0=$(now)
skopeo copy -q --dest-tls-verify=false "oci:$work/layout:1" "docker://$reg/peer:1" >/dev/null
skopeo_cold=$(elapsed "$t0" "$(now)")
sk=()
for i in $(seq 1 "$runs"); do
  echo "<h1>peer edit $i</h1>" > "$work/nginx/index.html"
  rm -rf "$work/layout"
  bin/distrolix build "$work/nginx/image.yaml" "${inc[@]}" -q --cache-dir "$work/cache" -o "oci:$work/layout:1" >/dev/null
  t0=$(now)
  skopeo copy -q --dest-tls-verify=false "oci:$work/layout:1" "docker://$reg/peer:1" >/dev/null
  sk+=("$(elapsed "$t0" "$(now)")")
done
skopeo_warm=$(printf '%s\n' "${sk[@]}" | median)

echo "edit–rebuild–push loop, nginx example, local registry, $(nproc) cores, median of $runs warm runs, $(date -u +%Y-%m-%dT%H:%MZ)"
printf 'distrolix build+push: cold %.2fs | warm (index.html edited) %.2fs | cold/warm %.1fx\n' "$cold" "$warm_med" \
  "$(awk -v a="$cold" -v b="$warm_med" 'BEGIN{print a/b}')"
printf 'skopeo copy (push only, layout prebuilt): cold %.2fs | warm %.2fs\n' "$skopeo_cold" "$skopeo_warm"
printf 'distrolix warm rebuild+push / skopeo warm push alone: %.2fx\n' "$(awk -v a="$warm_med" -v b="$skopeo_warm" 'BEGIN{print a/b}')"
