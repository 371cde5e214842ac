# Synthetic closures for the benches, made without building thousands of derivations:
#
#   nix-build testing/synthetic -A paths3000   # a root and 3,000 small store paths that refer to
#                                              # one another (builtins.toFile: written at evaluation)
#   nix-build testing/synthetic -A gigabyte    # one store path of ~1 GB in 16 files (~64 MiB each),
#                                              # text that gzip packs about 4:1
{ n ? 3000
, files ? 16
, fileMiB ? 64
, namePrefix ? "syn"
, system ? builtins.currentSystem
}:

let
  mod = a: b: a - b * (a / b);
  # node i names up to two earlier nodes: each a reference, as Nix records them
  nodes = builtins.genList (i: builtins.toFile "${namePrefix}-${toString i}" (
    "node ${toString i}\n"
    + (if i == 0 then "" else "${builtins.elemAt nodes (mod (i * 7 + 3) i)}\n")
    + (if i < 2 then "" else "${builtins.elemAt nodes (i / 2)}\n"))) n;
in
{
  paths3000 = derivation {
    name = "${namePrefix}-paths-${toString n}";
    inherit system;
    # 3,000 paths are too long for an argument or a variable: Nix writes them to a file
    deps = builtins.concatStringsSep "\n" nodes + "\n";
    passAsFile = [ "deps" ];
    builder = "/bin/sh";
    args = [ "-e" "-c" ''
      /bin/mkdir -p "$out"
      /bin/cp "$depsPath" "$out/deps"
    '' ];
  };

  gigabyte = derivation {
    name = "${namePrefix}-gigabyte";
    inherit system files fileMiB;
    builder = "/bin/sh";
    args = [ "-e" "-c" ''
      /bin/mkdir -p "$out/data"
      i=0
      while [ "$i" -lt "$files" ]; do
        /usr/bin/seq -f "line %.0f of file $i: the quick brown fox jumps over the lazy dog" 1 100000000 \
          | /usr/bin/head -c "$((fileMiB * 1048576))" > "$out/data/file-$i.txt"
        i=$((i + 1))
      done
    '' ];
  };
}
