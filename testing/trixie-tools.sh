#!/usr/bin/env bash
# Fetches Debian 13 ("trixie")'s skopeo and podman and makes them run on Debian 12 beside the
# system's ones: Debian 12 built podman 4.3 and skopeo 1.9 with sigstore cut out, so they can
# neither make nor verify cosign-style signatures. Nothing is installed: a private apt
# configuration downloads the .debs, they are unpacked into one root, and the two programs are
# copied out and pointed (patchelf) at that root's ld.so and libraries.
#
#   testing/trixie-tools.sh        # idempotent; a second run only checks the tools and exits
#
# Output (default ${XDG_CACHE_HOME:-$HOME/.cache}/distrolix/trixie-tools, or $DISTROLIX_TRIXIE_TOOLS):
#   DIR/bin/skopeo, DIR/bin/podman   patched programs, run them directly
#   DIR/root/                        the unpacked Debian 13 packages
# Run podman on its own storage (never the system podman's):
#   DIR/bin/podman --root D/root --runroot D/run --tmpdir D/tmp --storage-driver vfs \
#       --events-backend file --cgroup-manager cgroupfs ...
# Mirror: the machine's own Debian mirror (from /etc/apt/sources.list*), or $DISTROLIX_TRIXIE_MIRROR.
# Prints nothing on success; fails with one line on stderr.
set -euo pipefail

dir=${DISTROLIX_TRIXIE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/distrolix/trixie-tools}
die() { echo "trixie-tools: $*" >&2; exit 1; }

tools_ok() {
  "$dir/bin/skopeo" --version 2>/dev/null | grep -Eq 'version 1\.(1[89]|[2-9][0-9])\.' &&
    "$dir/bin/podman" --version 2>/dev/null | grep -Eq 'version [5-9]\.'
}
tools_ok && exit 0

for c in apt-get dpkg dpkg-deb patchelf flock; do
  command -v "$c" >/dev/null 2>&1 || die "$c is missing (run testing/install-tools.sh as root)"
done
case "$(dpkg --print-architecture)" in
  amd64) arch=amd64 triplet=x86_64-linux-gnu ldso=ld-linux-x86-64.so.2 ;;
  arm64) arch=arm64 triplet=aarch64-linux-gnu ldso=ld-linux-aarch64.so.1 ;;
  *) die "unsupported architecture $(dpkg --print-architecture)" ;;
esac

mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd "$dir" && pwd -P)
exec 9>"$dir/.lock"
flock 9
tools_ok && exit 0 # another run finished it meanwhile

# The machine's Debian mirror: the URI of its "deb" source for its own release (one-line or
# deb822 format); deb.debian.org when none is found.
mirror() {
  if [ -n "${DISTROLIX_TRIXIE_MIRROR:-}" ]; then echo "$DISTROLIX_TRIXIE_MIRROR"; return; fi
  local codename f uri=
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  codename=${codename:-bookworm}
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk -v c="$codename" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == c && $i !~ /^cdrom:/) { print $i; exit } }' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ]; then
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      uri=$(awk -v c="$codename" 'BEGIN { RS = ""; FS = "\n" }
        { types = ""; uris = ""; suites = ""; enabled = "yes"
          for (i = 1; i <= NF; i++) {
            if ($i ~ /^#/ || !match($i, /^[A-Za-z-]+:/)) continue
            k = tolower(substr($i, 1, RLENGTH - 1)); v = substr($i, RLENGTH + 1)
            if (k == "types") types = v; else if (k == "uris") uris = v
            else if (k == "suites") suites = v; else if (k == "enabled") enabled = v
          }
          if (types !~ /(^|[ \t])deb([ \t]|$)/ || enabled ~ /no/) next
          n = split(suites, s, /[ \t]+/)
          for (j = 1; j <= n; j++) if (s[j] == c) { split(uris, u, /[ \t]+/)
            for (m = 1; m in u; m++) if (u[m] != "" && u[m] !~ /^cdrom:/) { print u[m]; exit } } }' "$f")
      [ -n "$uri" ] && break
    done
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

work=$dir/.work
rm -rf "$work" "$dir/root" "$dir/bin" "$dir/bin.new"
mkdir -p "$work"/{lists/partial,cache/archives/partial,sources.list.d,preferences.d,debs} "$dir/root" "$dir/bin.new"
: > "$work/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "$keyring is missing (apt-get install debian-archive-keyring)"
echo "deb [signed-by=$keyring] $(mirror) trixie main" > "$work/sources.list"
apt=(apt-get -q -o "Dir::State=$work" -o "Dir::State::Lists=$work/lists"
  -o "Dir::State::status=$work/status" -o "Dir::Cache=$work/cache"
  -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/sources.list.d"
  -o "Dir::Etc::Preferences=$work/preferences" -o "Dir::Etc::PreferencesParts=$work/preferences.d"
  -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o "Acquire::Languages=none")
# As root apt drops to user _apt, which cannot enter a private cache such as /root/.cache.
[ "$(id -u)" -eq 0 ] && apt+=(-o APT::Sandbox::User=root)

# apt-get update exits 0 when a download fails: check that the package index arrived.
if ! "${apt[@]}" update > "$work/apt.log" 2>&1 || ! compgen -G "$work/lists/*_trixie_main_binary-${arch}_Packages*" >/dev/null; then
  die "apt-get update of trixie failed (see $work/apt.log): $(grep -E '^(E|W):' "$work/apt.log" | head -1)"
fi
# The programs, and every library they load that Debian 12 lacks or has too old.
pkgs=(skopeo podman libc6 libgpgme11t64 libassuan9 libgpg-error0 libsqlite3-0 libseccomp2 libsubid5
  libbsd0 libmd0)
(cd "$work/debs" && "${apt[@]}" download "${pkgs[@]}") >> "$work/apt.log" 2>&1 ||
  die "apt-get download from trixie failed (see $work/apt.log): $(grep -E '^E:' "$work/apt.log" | head -1)"
for d in "$work"/debs/*.deb; do
  dpkg-deb -x "$d" "$dir/root" || die "cannot unpack $d"
done

lib=$dir/root/usr/lib/$triplet
[ -f "$lib/$ldso" ] && [ ! -L "$lib/$ldso" ] || die "no $lib/$ldso in the unpacked libc6"
for p in skopeo podman; do
  [ -f "$dir/root/usr/bin/$p" ] || die "no usr/bin/$p in the unpacked $p package"
  cp "$dir/root/usr/bin/$p" "$dir/bin.new/$p"
  # --force-rpath: a RUNPATH would not reach libgpgme's own dependency libassuan.so.9.
  patchelf --set-interpreter "$lib/$ldso" --force-rpath --set-rpath "$lib:/usr/lib/$triplet" "$dir/bin.new/$p" ||
    die "patchelf failed on $p"
  missing=$("$lib/$ldso" --list "$dir/bin.new/$p" 2>&1 | awk '/not found/ { print $1 }' | tr '\n' ' ') || true
  [ -z "$missing" ] || die "$p needs libraries not fetched: $missing"
done

# Smoke test, in a scratch dir: sigstore is really there, podman starts on isolated storage (as
# root only, as the tests run it: rootless podman would leave a pause process behind).
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
: > "$t/pw"
"$dir/bin.new/skopeo" generate-sigstore-key --output-prefix "$t/k" --passphrase-file "$t/pw" > "$t/log" 2>&1 ||
  die "skopeo generate-sigstore-key failed: $(tail -1 "$t/log")"
if [ "$(id -u)" -eq 0 ]; then
  PODMAN_IGNORE_CGROUPSV1_WARNING=1 "$dir/bin.new/podman" --root "$t/root" --runroot "$t/run" --tmpdir "$t/tmp" \
    --storage-driver vfs --events-backend file --cgroup-manager cgroupfs info > "$t/log" 2>&1 ||
    die "podman info failed: $(tail -1 "$t/log")"
fi

mv "$dir/bin.new" "$dir/bin"
rm -rf "$work"
tools_ok || die "the tools in $dir/bin do not run"
