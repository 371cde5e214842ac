# A closure of many tiny store paths (no nixpkgs; builder /bin/sh), for layer-splitting
# tests: with the defaults, `big` has a closure of exactly 150 store paths (> 127).
#
#   nix-build testing/tiny-closure -A big
#   nix-build testing/tiny-closure -A big --argstr leafSalt 1     # one leaf changes
#   nix-store -qR $(nix-build testing/tiny-closure -A big --no-out-link) | wc -l   # 150
#
# Shape (a DAG with sharing; every node is a directory holding `deps`, the store paths
# of its direct dependencies, which is how Nix records the references):
#   leaf-00 .. leaf-39   (leaves)    40
#   lib1-00 .. lib1-49               50  lib1-i -> leaf-00, leaf-01 (depended on by all
#                                        lib1), leaf-(i mod L), leaf-((7i+3) mod L)
#   lib2-00 .. lib2-39               40  lib2-j -> lib1-j, lib1-((j+40) mod N1),
#                                        lib1-((3j+1) mod N1), leaf-((5j+2) mod L)
#   app-00 .. app-18                 19  app-k -> lib2-k, lib2-(k+19), lib2-(k+38) (if
#                                        it exists), lib2-00, lib1-(k mod N1)
#   big                               1  -> every app
#   (L = leaves, N1 = libs1, N2 = libs2, A = apps: arguments below.)
#
# THE SALTED LEAF: `leafSalt` changes only the content of leaf number `saltedLeaf`
# (default: leaf-39, a leaf with few dependents). With the default shape, leafSalt != "0"
# changes exactly 11 of the 150 store paths: leaf-39, lib1-28, lib1-39, lib2-09,
# lib2-28, lib2-38, lib2-39, app-00, app-01, app-09 and big; the other 139 keep their
# store paths. `changedBy` computes that list for any arguments:
#   nix-instantiate --eval --strict testing/tiny-closure -A changedBy
# (leaf-00 and leaf-01, by contrast, are depended on by every lib1.)
{ leaves ? 40
, libs1 ? 50
, libs2 ? 40
, apps ? 19
, leafSalt ? "0"      # any other value changes leaf number `saltedLeaf`
, saltedLeaf ? leaves - 1
, payloadBytes ? 0    # extra bytes of filler in every node (bigger layers)
, namePrefix ? "tiny"
, system ? builtins.currentSystem
}:

let
  inherit (builtins) genList listToAttrs elem filter concatLists attrNames length;

  pad = n: if n < 10 then "0${toString n}" else toString n;
  mod = a: b: a - b * (a / b);
  uniq = xs: builtins.foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ] xs;

  node = name: deps: extra: derivation {
    name = "${namePrefix}-${name}";
    inherit system deps extra payloadBytes;
    builder = "/bin/sh";
    args = [ "-e" "-c" ''
      /bin/mkdir -p "$out"
      for d in $deps; do echo "$d"; done > "$out/deps"
      echo "${name} $extra" > "$out/name"
      if [ "$payloadBytes" -gt 0 ]; then
        /usr/bin/head -c "$payloadBytes" /dev/zero | /usr/bin/tr '\000' x > "$out/payload"
      fi
    '' ];
  };

  leafIds = genList (i: i) leaves;
  lib1Ids = genList (i: i) libs1;
  lib2Ids = genList (i: i) libs2;
  appIds = genList (i: i) apps;

  leafDeps = _: [ ];
  lib1Deps = i: uniq ([ "leaf-00" "leaf-01" ] ++ map (x: "leaf-${pad x}") [ (mod i leaves) (mod (7 * i + 3) leaves) ]);
  lib2Deps = j: uniq (map (x: "lib1-${pad x}") [ j (mod (j + 40) libs1) (mod (3 * j + 1) libs1) ]
                      ++ [ "leaf-${pad (mod (5 * j + 2) leaves)}" ]);
  appDeps = k: uniq (map (x: "lib2-${pad x}") (filter (x: x < libs2) [ k (k + apps) (k + 2 * apps) 0 ])
                     ++ [ "lib1-${pad (mod k libs1)}" ]);

  specs =
    map (i: { name = "leaf-${pad i}"; deps = leafDeps i;
              extra = if i == saltedLeaf then "salt=${leafSalt}" else ""; }) leafIds
    ++ map (i: { name = "lib1-${pad i}"; deps = lib1Deps i; extra = ""; }) lib1Ids
    ++ map (j: { name = "lib2-${pad j}"; deps = lib2Deps j; extra = ""; }) lib2Ids
    ++ map (k: { name = "app-${pad k}"; deps = appDeps k; extra = ""; }) appIds
    ++ [ { name = "big"; deps = map (k: "app-${pad k}") appIds; extra = ""; } ];

  nodes = listToAttrs (map (s: {
    inherit (s) name;
    value = node s.name (map (d: nodes.${d}) s.deps) s.extra;
  }) specs);

  depsOf = listToAttrs (map (s: { inherit (s) name; value = s.deps; }) specs);
  # node names whose store path changes with leafSalt (the salted leaf and its dependents)
  changedBy =
    let
      salted = "leaf-${pad saltedLeaf}";
      dependsOn = n: n == salted || builtins.any dependsOn depsOf.${n};
    in filter dependsOn (attrNames depsOf);

in {
  inherit (nodes) big;
  inherit nodes changedBy;
  saltedLeafName = "leaf-${pad saltedLeaf}";
  count = length specs;
}
