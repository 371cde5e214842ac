# Builder for testing/debian-pkgs/default.nix (run by /bin/sh; the sandbox is off, so
# host tools are used: dpkg-deb, patchelf, cp, find, ...).
#
# Environment (from the derivation):
#   debs         .deb files to unpack (store paths)
#   deps         dependency outputs whose lib/ goes into the RUNPATH
#   glibc        glibc output providing the ELF interpreter ("" = this output is glibc)
#   isGlibc      "1": this output is glibc (interpreter = own ld.so; RUNPATH only
#                where a library needs a sibling besides libc.so.6)
#   postInstall  shell snippet run at the end, with $out filled
#   debArch      Debian architecture of the .debs (amd64, arm64): each ELF file must match it
#   multiarch    Debian's multiarch folder name (x86_64-linux-gnu, aarch64-linux-gnu)
#   ldso         the ELF interpreter's file name (ld-linux-x86-64.so.2, ld-linux-aarch64.so.1)
#
# Layout of $out: /usr/X and /X are merged into $out/X, lib/$multiarch/* is
# flattened into lib/, documentation is dropped. Absolute symlinks are made relative
# when their target exists inside $out, and removed otherwise (they would point to the
# host). Every ELF file except ld.so and libc.so.6 gets the interpreter
# $glibc/lib/$ldso and RUNPATH "<own \$ORIGIN entries>:$out/lib:<deps>/lib:$glibc/lib",
# so Nix's reference scan sees exactly the libraries' store paths.
set -eu
PATH=/usr/bin:/bin
export PATH LC_ALL=C
: "${debArch:?}" "${multiarch:?}" "${ldso:?}"
# ELF e_machine (u16 little-endian at offset 18) of the architecture: every ELF file must have it.
case "$debArch" in
  amd64) machine="3e 00" ;;
  arm64) machine="b7 00" ;;
  *) echo "builder: unsupported debArch $debArch" >&2; exit 1 ;;
esac
for d in $debs; do
  a="$(dpkg-deb -f "$d" Architecture)"
  [ "$a" = "$debArch" ] || [ "$a" = all ] || {
    echo "builder: ${d##*/} is for architecture $a, this derivation for $debArch" >&2; exit 1; }
done

root="$TMPDIR/root"
mkdir -p "$root" "$out"
for d in $debs; do
  dpkg-deb -x "$d" "$root"
done

# 1. layout: merge /usr into /, keep the useful top-level directories.
if [ -d "$root/usr" ]; then
  cp -a "$root/usr/." "$out/"
fi
for d in bin sbin lib lib64 libexec etc share; do
  if [ -d "$root/$d" ]; then
    mkdir -p "$out/$d"
    cp -a "$root/$d/." "$out/$d/"
  fi
done
# --remove-destination: arm64's libc6 ships lib/ld-linux-aarch64.so.1 as a link to
# lib/aarch64-linux-gnu/ld-linux-aarch64.so.1 (plain cp -a: "are the same file").
if [ -d "$out/lib/$multiarch" ]; then
  cp -a --remove-destination "$out/lib/$multiarch/." "$out/lib/"
  rm -rf "$out/lib/$multiarch"
fi
rm -rf "$out/share/doc" "$out/share/man" "$out/share/info" "$out/share/lintian" \
       "$out/share/bug" "$out/share/doc-base" "$out/lib/debug" "$out/games" \
       "$out/local" "$out/include"

# 2. symlinks: absolute -> relative inside $out, or removed.
find "$out" -type l | while IFS= read -r l; do
  t="$(readlink "$l")"
  case "$t" in
    /*)
      m="$t"
      case "$m" in /usr/*) m="${m#/usr}" ;; esac
      case "$m" in "/lib/$multiarch/"*) m="/lib/${m#"/lib/$multiarch/"}" ;; esac
      if [ -e "$out$m" ] || [ -L "$out$m" ]; then
        rel="$(realpath -m -s --relative-to="$(dirname "$l")" "$out$m")"
        ln -sfn "$rel" "$l"
      else
        echo "builder: removing host symlink ${l#$out/} -> $t"
        rm -f "$l"
      fi
      ;;
  esac
done
# dangling relative links, or links leaving $out
find "$out" -type l | while IFS= read -r l; do
  r="$(realpath -m "$l")"
  case "$r" in
    "$out"/*) [ -e "$l" ] || { echo "builder: removing dangling symlink ${l#$out/}"; rm -f "$l"; } ;;
    *) echo "builder: removing symlink leaving \$out: ${l#$out/}"; rm -f "$l" ;;
  esac
done
# 3. relink ELF files.
if [ "${isGlibc:-}" != 1 ]; then interp="$glibc/lib/$ldso"; glibcLib="$glibc/lib"
else interp="$out/lib/$ldso"; glibcLib=""; fi
[ -e "$interp" ] || { echo "builder: no ELF interpreter $interp" >&2; exit 1; }
rpath="$out/lib"
for d in $deps; do rpath="$rpath:$d/lib"; done
[ -n "$glibcLib" ] && rpath="$rpath:$glibcLib"

elfmagic="$(printf '\177ELF')"
find "$out" -type f | while IFS= read -r f; do
  [ "$(head -c 4 "$f")" = "$elfmagic" ] || continue
  m="$(od -An -t x1 -j 18 -N 2 "$f" | tr -s ' ' | sed 's/^ //; s/ $//')"
  [ "$m" = "$machine" ] || { echo "builder: ${f#$out/} has ELF machine '$m', not $debArch's '$machine'" >&2; exit 1; }
  case "${f##*/}" in "$ldso"|libc.so.6) continue ;; esac
  chmod u+w "$f"
  if patchelf --print-interpreter "$f" >/dev/null 2>&1; then
    patchelf --set-interpreter "$interp" "$f"
  fi
  needed="$(patchelf --print-needed "$f" 2>/dev/null)" || needed=""
  [ -n "$needed" ] || continue
  old="$(patchelf --print-rpath "$f")"
  if [ "${isGlibc:-}" = 1 ]; then
    # glibc's own libraries: those without a RUNPATH (gconv modules have $ORIGIN) that
    # need a sibling other than libc/ld.so (libmvec -> libm, libnss_hesiod ->
    # libresolv) get RUNPATH $out/lib.
    if [ -z "$old" ] && [ -n "$(printf '%s\n' $needed | grep -v -x -e libc.so.6 -e "$ldso")" ]; then
      patchelf --set-rpath "$out/lib" "$f"
    fi
  else
    keep=""
    # keep $ORIGIN-relative entries (the JRE finds its own libraries that way)
    oldIFS="$IFS"; IFS=:
    for e in $old; do
      case "$e" in '$ORIGIN'*) keep="$keep$e:" ;; esac
    done
    IFS="$oldIFS"
    patchelf --set-rpath "$keep$rpath" "$f"
  fi
done

# 4. package-specific steps.
if [ -n "${postInstall:-}" ]; then
  eval "$postInstall"
fi

# 5. empty directories left over (e.g. parents of removed docs); those under etc/ are
#    kept (nginx's conf.d, sites-enabled, modules-enabled).
find "$out" -mindepth 1 -depth -type d -empty ! -path "$out/etc" ! -path "$out/etc/*" -delete
