#!/usr/bin/env bash
# Benchmark: a Nix-less cold build from a binary cache (`build --locked`, the NARs fetched over HTTP
# from nginx on 127.0.0.1, signature and hashes checked, streamed into layers) against
#   A1: a cold build from the local store (the paths already in /nix/store), and
#   A2: what a runner without the paths would do with Nix: `nix copy --from` the same cache into an
#       empty store (a tmpfs on /nix, in a mount namespace of its own), then the same cold build.
# Whole processes, interleaved A B A B …, on the nginx example and the JRE closure; all three use
# a spec naming the store path directly (no Nix evaluation in any of them) and --no-cache.
# Then warm: both with a layer cache their first build filled (B: a runner that kept it, without Nix).
# Usage: bench/locked-bench.sh [ROUNDS] [COMPRESSION]   (root, for unshare/mount; default 5 zstd)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds=${1:-5}
comp=${2:-zstd}
cd "$here"
. bench/lib.sh
export NIX_CONFIG="substituters ="
testing/build-fixtures.sh nginx jre >/dev/null
D="$here/bin/distrolix"
work=$(mktemp -d /tmp/distrolix-locked-bench.XXXXXX)
nginx_pid=
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
X=(--extra-experimental-features nix-command)

# A signed cache of both closures, made the way the reference's recipe makes one.
nix-store --generate-binary-cache-key bench-cache-1 "$work/sk" "$work/pk" >/dev/null
key=$(cat "$work/pk")
nginx_path=$(readlink -f testing/result/nginx)
jre_path=$(readlink -f testing/result/jre)
nix "${X[@]}" copy --to "file://$work/cache?compression=$comp" "$nginx_path" "$jre_path" 2>/dev/null
nix "${X[@]}" store sign --store "file://$work/cache" --key-file "$work/sk" -r "$nginx_path" "$jre_path"
mkdir -p "$work/nginx"
for _ in 1 2 3 4 5; do # a random free port: another one when it is taken
  port=$((20000 + RANDOM % 20000))
  cat > "$work/nginx/nginx.conf" <<CONF
daemon off; master_process off; pid $work/nginx/pid; error_log stderr;
events {}
http {
  client_body_temp_path $work/nginx/b; proxy_temp_path $work/nginx/p; fastcgi_temp_path $work/nginx/f;
  uwsgi_temp_path $work/nginx/u; scgi_temp_path $work/nginx/s; access_log off; sendfile on;
  types { text/x-nix-narinfo narinfo; } default_type application/octet-stream;
  server { listen 127.0.0.1:$port; root $work/cache; }
}
CONF
  "$nginx_path/bin/nginx" -e stderr -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/log" &
  nginx_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 50); do curl -fs "$url/nix-cache-info" >/dev/null && break; sleep 0.1; done
  curl -fs "$url/nix-cache-info" >/dev/null && break
  kill "$nginx_pid" 2>/dev/null || true
done

# The specs, naming the store paths, and their locks.
mkdir -p "$work/nginx-spec" "$work/jre-spec"
cp examples/nginx/nginx.conf examples/nginx/index.html "$work/nginx-spec/"
sed "s#^  - nginx\$#  - $nginx_path#" examples/nginx/image.yaml > "$work/nginx-spec/image.yaml"
sed "s#^  - jre\$#  - $jre_path#" bench/jre.yaml > "$work/jre-spec/image.yaml"
for s in nginx jre; do
  "$D" lock "$work/$s-spec/image.yaml" --substituter "$url" --trusted-public-key "$key" >/dev/null
done

echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), cache: $comp NARs from nginx on 127.0.0.1, median (min–max) of $rounds interleaved rounds"
echo "A = local-store cold build, B = build --locked (no Nix); then A = nix copy --from + cold build, B = build --locked"
for s in nginx jre; do
  spec="$work/$s-spec/image.yaml"
  path=$nginx_path; [ $s = jre ] && path=$jre_path
  bench_pair "$s local vs locked" "$rounds" \
    "rm -rf $work/a" "$D build $spec --no-lock --no-cache -q -o oci:$work/a:1" \
    "rm -rf $work/b" "$D build $spec --locked --no-cache -q -o oci:$work/b:1"
  copy_then_build="unshare -m -- bash -c 'mount -t tmpfs -o size=2g none /nix && nix ${X[*]} copy --from $url \
--trusted-public-keys $key $path 2>/dev/null && $D build $spec --no-lock --no-cache -q -o oci:$work/c:1'"
  bench_pair "$s copy+build vs locked" "$rounds" \
    "rm -rf $work/c" "$copy_then_build" \
    "rm -rf $work/b" "$D build $spec --locked --no-cache -q -o oci:$work/b:1"
  a=$("$D" build "$spec" --no-lock --no-cache -q -o "oci:$work/a:1")
  b=$("$D" build "$spec" --locked --no-cache -q -o "oci:$work/b:1")
  [ "$a" = "$b" ] && echo "$s: same digest both ways ($a)" || { echo "$s: DIGESTS DIFFER: $a vs $b" >&2; exit 1; }
  # a runner that kept its layer cache (a CI cache) and has no Nix: A = a warm build from the local store,
  # B = a warm build --locked, which fetches nothing (each cache made by one build first, untimed)
  "$D" build "$spec" --no-lock --cache-dir "$work/wa-$s" -q -o "oci:$work/a:1" >/dev/null
  "$D" build "$spec" --locked --cache-dir "$work/wb-$s" -q -o "oci:$work/b:1" >/dev/null
  bench_pair "$s warm local vs locked" "$rounds" \
    "rm -rf $work/a" "$D build $spec --no-lock --cache-dir $work/wa-$s -q -o oci:$work/a:1" \
    "rm -rf $work/b" "$D build $spec --locked --cache-dir $work/wb-$s -q -o oci:$work/b:1"
done
