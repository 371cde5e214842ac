package dev.distrolix.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gives exactly one line: file:line:col: key.path: problem. */
class SpecLoaderErrorTest {
    @TempDir
    Path dir;
    SpecFiles files;

    @BeforeEach
    void setUp() {
        files = new SpecFiles(dir);
    }

    private void assertError(String yaml, String expected) {
        files.assertError("image.yaml", yaml, expected);
    }

    // --- document level ---

    @Test
    void misspeltTopLevelKeyGetsASuggestion() {
        assertError("name: app\ntag: v1\npakages: [hello]\n",
                "image.yaml:3:1: unknown key 'pakages' (did you mean 'packages'?)");
    }

    @Test
    void misspeltNestedKeyGetsASuggestionWithItsKeyPath() {
        assertError("name: app\nconfig:\n  workingDir: /srv\n",
                "image.yaml:3:3: config: unknown key 'workingDir' (did you mean 'working-dir'?)");
    }

    @Test
    void unknownKeyFarFromAnyAllowedOneListsTheAllowedKeys() {
        assertError("name: app\nlayering: { frobnicate: 1 }\n",
                "image.yaml:2:13: layering: unknown key 'frobnicate' (expected one of: strategy, max-layers)");
    }

    @Test
    void missingName() {
        assertError("tag: v1\n", "image.yaml:1:1: missing required key 'name'");
    }

    @Test
    void emptyName() {
        assertError("name: \"\"\n", "image.yaml:1:7: name: must not be empty");
    }

    @Test
    void invalidImageName() {
        assertError("name: Nginx\n", "image.yaml:1:7: name: 'Nginx' is not a valid image name (lower-case"
                + " letters and digits, separated by '.', '_', '__', '-' or '/')");
    }

    @Test
    void messagesStayOnOneLineWhenQuotingMultiLineText() {
        assertError("name: |\n  my\n  app\n", "image.yaml:1:7: name: 'my\\napp\\n' is not a valid image name"
                + " (lower-case letters and digits, separated by '.', '_', '__', '-' or '/')");
    }

    @Test
    void jsonErrorsHaveJsonLocations() {
        files.assertError("image.json", "{\n  \"name\": \"app\",\n  \"paths\": [\n    {\"path\": \"/a\", \"mode\": 493}\n  ]\n}\n",
                "image.json:4:28: paths[0].mode: \"493\" is not an octal mode");
        files.assertError("image.json", "{\"name\": \"app\", \"pakages\": []}",
                "image.json:1:17: unknown key 'pakages' (did you mean 'packages'?)");
    }

    @Test
    void invalidTag() {
        assertError("name: app\ntag: \"-v1\"\n",
                "image.yaml:2:6: tag: '-v1' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-], at most 128)");
    }

    @Test
    void duplicateKey() {
        assertError("name: app\ntag: v1\nname: other\n", "image.yaml:3:1: duplicate key 'name' (first at 1:1)");
    }

    @Test
    void duplicateKeyInNestedMapOfJson() {
        files.assertError("image.json", "{\"name\": \"app\",\n \"vars\": {\"a\": 1,\n   \"a\": 2}}",
                "image.json:3:4: vars: duplicate key 'a' (first at 2:11)");
    }

    @Test
    void malformedYaml() {
        assertError("name: app\n  tag: v1\n", "image.yaml:2:6: malformed YAML: mapping values are not allowed here");
    }

    @Test
    void aCharacterYamlDoesNotAllowIsNamedWhereItIs() throws Exception {
        assertError("name: app\r\nvars:\n  a: \"\u00e9\uD83D\uDE00x\u0007\"\n",
                "image.yaml:3:10: malformed YAML: special characters are not allowed (U+0007)");
        Path latin1 = dir.resolve("image.yaml");
        java.nio.file.Files.write(latin1, "name: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SpecLoader.load(latin1)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(latin1 + ":1:5: malformed YAML: Unexpected EOF in the middle of a multi-byte char");
        assertError("name: app\ntag: v1\u0000\n",
                "image.yaml:2:8: malformed YAML: special characters are not allowed (U+0000)");
    }

    @Test
    void malformedJson() {
        files.assertError("image.json", "{\"name\": \"app\",\n \"tag\": }\n",
                "image.json:2:9: malformed JSON: Unexpected character ('}' (code 125)): expected a value");
    }

    @Test
    void multiDocumentYaml() {
        assertError("name: app\n---\nname: other\n",
                "image.yaml:3:1: a spec file holds one YAML document, found a second one");
    }

    @Test
    void trailingJson() {
        files.assertError("image.json", "{\"name\": \"app\"}\n{}",
                "image.json:2:1: unexpected content after the top-level JSON value");
    }

    @Test
    void topLevelMustBeAMap() {
        assertError("- a\n- b\n", "image.yaml:1:1: expected a map, found a list");
    }

    @Test
    void emptyFile() {
        assertError("# nothing\n", "image.yaml:1:1: the file is empty");
    }

    @Test
    void unsupportedExtension() {
        Path file = files.write("image.toml", "name = 'app'");
        assertThatThrownBy(() -> SpecLoader.load(file)).isInstanceOf(SpecException.class)
                .hasMessage(file + ": unsupported file type: expected a .yaml, .yml or .json file");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> SpecLoader.load(file)).isInstanceOf(SpecException.class)
                .hasMessage(file + ": cannot read file: no such file");
    }

    // --- wrong types ---

    @Test
    void expectedAList() {
        assertError("name: app\npackages: hello\n", "image.yaml:2:11: packages: expected a list, found a string");
    }

    @Test
    void expectedAString() {
        assertError("name: [app]\n", "image.yaml:1:7: name: expected a string, found a list");
    }

    @Test
    void expectedAMap() {
        assertError("name: app\naccounts: [root]\n", "image.yaml:2:11: accounts: expected a map, found a list");
    }

    @Test
    void varsTakeScalarsOnly() {
        assertError("name: app\nvars: { ports: [80] }\n",
                "image.yaml:2:16: vars.ports: expected a string, number or boolean, found a list");
    }

    // --- accounts ---

    @Test
    void uidThatIsAStringOfDigits() {
        assertError("name: app\naccounts:\n  users: [ { name: web, uid: \"31337\", gid: 1 } ]\n",
                "image.yaml:3:30: accounts.users[0].uid: expected a decimal integer, found the string \"31337\"");
    }

    @Test
    void uidOutOfRange() {
        assertError("name: app\naccounts:\n  users: [ { name: web, uid: 2147483648, gid: 1 } ]\n",
                "image.yaml:3:30: accounts.users[0].uid: 2147483648 is out of range 0..2147483647");
    }

    @Test
    void gidThatIsNotANumber() {
        assertError("name: app\naccounts:\n  groups: [ { name: web, gid: 1.5 } ]\n",
                "image.yaml:3:31: accounts.groups[0].gid: expected a decimal integer, found a decimal number");
    }

    @Test
    void gidIsRequired() {
        assertError("name: app\naccounts:\n  groups: [ { name: web } ]\n",
                "image.yaml:3:13: accounts.groups[0]: missing required key 'gid'");
    }

    @Test
    void duplicateGroupName() {
        assertError("name: app\naccounts:\n  groups:\n    - { name: web, gid: 1 }\n    - { name: web, gid: 2 }\n",
                "image.yaml:5:15: accounts.groups[1].name: duplicate group name 'web' (also at"
                        + " accounts.groups[0].name, 4:15)");
    }

    @Test
    void duplicateGid() {
        assertError("name: app\naccounts:\n  groups:\n    - { name: web, gid: 1 }\n    - { name: db, gid: 1 }\n",
                "image.yaml:5:24: accounts.groups[1].gid: duplicate gid 1 (also at accounts.groups[0].gid, 4:25)");
    }

    @Test
    void duplicateUserNameAndUid() {
        String users = "name: app\naccounts:\n  users:\n    - { name: web, uid: 1, gid: 1 }\n";
        assertError(users + "    - { name: web, uid: 2, gid: 1 }\n",
                "image.yaml:5:15: accounts.users[1].name: duplicate user name 'web' (also at"
                        + " accounts.users[0].name, 4:15)");
        assertError(users + "    - { name: db, uid: 1, gid: 1 }\n",
                "image.yaml:5:24: accounts.users[1].uid: duplicate uid 1 (also at accounts.users[0].uid, 4:25)");
    }

    @Test
    void usersGroupMustBeDeclared() {
        assertError("name: app\naccounts:\n  groups: [ { name: www, gid: 1 } ]\n"
                        + "  users: [ { name: web, uid: 1, group: ww } ]\n",
                "image.yaml:4:40: accounts.users[0].group: unknown group 'ww' (did you mean 'www'?)");
    }

    @Test
    void userWithoutGroupNeedsAGroupOfItsName() {
        assertError("name: app\naccounts:\n  users: [ { name: web, uid: 1 } ]\n",
                "image.yaml:3:12: accounts.users[0]: user 'web' needs 'group' or 'gid'"
                        + " (there is no group named 'web')");
    }

    // --- paths ---

    @Test
    void modeThatIsNotOctal() {
        assertError("name: app\npaths:\n  - { path: /a }\n  - { path: /b }\n  - { path: /c, mode: \"0x9\" }\n",
                "image.yaml:5:23: paths[2].mode: \"0x9\" is not an octal mode");
    }

    @Test
    void modeOutOfRange() {
        assertError("name: app\npaths:\n  - { path: /a, mode: 17777 }\n",
                "image.yaml:3:23: paths[0].mode: \"17777\" is outside 0..07777");
    }

    @Test
    void duplicatePathAfterNormalisation() {
        assertError("name: app\npaths:\n  - { path: /tmp, mode: \"1777\" }\n  - { path: /tmp/ }\n",
                "image.yaml:4:13: paths[1].path: '/tmp' is already declared at paths[0] (3:5)");
    }

    @Test
    void relativePath() {
        assertError("name: app\npaths:\n  - path: var/log\n",
                "image.yaml:3:11: paths[0].path: 'var/log' must be an absolute path");
    }

    @Test
    void pathWithDotDot() {
        assertError("name: app\npaths:\n  - path: /var/../etc\n",
                "image.yaml:3:11: paths[0].path: '/var/../etc' must not contain '.' or '..' segments");
    }

    @Test
    void pathWithDot() {
        assertError("name: app\npaths:\n  - path: /var/./log\n",
                "image.yaml:3:11: paths[0].path: '/var/./log' must not contain '.' or '..' segments");
    }

    @Test
    void pathWithDoubleSlash() {
        assertError("name: app\npaths:\n  - path: /var//log\n",
                "image.yaml:3:11: paths[0].path: '/var//log' contains an empty segment ('//')");
    }

    @Test
    void pathInTheStore() {
        assertError("name: app\npaths:\n  - path: /nix/store/x\n",
                "image.yaml:3:11: paths[0].path: '/nix/store/x' is reserved for the Nix store, which only holds"
                        + " the closure");
    }

    @Test
    void pathBelowAFile() {
        assertError("name: app\npaths:\n  - { path: /etc/app, content: x }\n  - { path: /etc/app/conf }\n",
                "image.yaml:4:13: paths[1].path: '/etc/app/conf' is below '/etc/app', which is a file (paths[0])");
    }

    @Test
    void keyNotAllowedForTheType() {
        assertError("name: app\npaths:\n  - { path: /bin/sh, target: busybox, mode: \"0755\" }\n",
                "image.yaml:3:39: paths[0]: 'mode' is not allowed for a symlink");
    }

    @Test
    void unknownType() {
        assertError("name: app\npaths:\n  - { path: /a, type: dir }\n",
                "image.yaml:3:23: paths[0].type: unknown type 'dir' (expected directory, file or symlink)");
    }

    @Test
    void unknownOwnerAndGroup() {
        String accounts = "name: app\naccounts:\n  groups: [ { name: nginx, gid: 1 } ]\n"
                + "  users: [ { name: nginx, uid: 1 } ]\n";
        assertError(accounts + "paths:\n  - { path: /a, owner: ngnix }\n",
                "image.yaml:6:24: paths[0].owner: unknown user 'ngnix' (did you mean 'nginx'?)");
        assertError(accounts + "paths:\n  - { path: /a, group: wheel }\n",
                "image.yaml:6:24: paths[0].group: unknown group 'wheel' (declared: root, nginx)");
    }

    @Test
    void sourceWithDotDot() {
        assertError("name: app\npaths:\n  - { path: /a, source: ../secret }\n",
                "image.yaml:3:25: paths[0].source: '../secret' must not contain '..'");
    }

    @Test
    void absoluteSource() {
        assertError("name: app\npaths:\n  - { path: /a, source: /etc/passwd }\n",
                "image.yaml:3:25: paths[0].source: '/etc/passwd' must be relative to the spec's folder");
    }

    @Test
    void missingSource() {
        assertError("name: app\npaths:\n  - { path: /a, source: index.html }\n",
                "image.yaml:3:25: paths[0].source: 'index.html' does not exist (looked for " + dir
                        + "/index.html)");
    }

    @Test
    void sourceThatIsADirectory() throws IOException {
        Files.createDirectories(dir.resolve("site"));
        assertError("name: app\npaths:\n  - { path: /a, source: site }\n",
                "image.yaml:3:25: paths[0].source: 'site' is not a regular file");
    }

    @Test
    void sourceEscapingThroughASymlink(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("secret"), "key");
        Files.createSymbolicLink(dir.resolve("innocent"), outside.resolve("secret"));
        assertError("name: app\npaths:\n  - { path: /a, source: innocent }\n",
                "image.yaml:3:25: paths[0].source: 'innocent' leads outside the spec's folder through a symlink"
                        + " (to " + outside.toRealPath().resolve("secret") + ")");
    }

    @Test
    void unknownVariableInInterpolatedSourceIsReportedInTheSource() {
        files.write("site/index.html", "<h1>\n  ${title}</h1>\n");
        assertError("name: app\nvars: { titel: x }\npaths:\n  - { path: /a, source: site/index.html, interpolate: true }\n",
                "site/index.html:2:3: paths[0].source: unknown variable in '${title}' (did you mean '${titel}'?)");
    }

    // --- templates, profile, config, layering ---

    @Test
    void unknownVariable() {
        assertError("name: app\nvars: { port: 80 }\nconfig:\n  cmd: [\"--port\", \"${prot}\"]\n",
                "image.yaml:4:19: config.cmd[1]: unknown variable in '${prot}' (did you mean '${port}'?)");
    }

    @Test
    void unknownPackageInTemplate() {
        assertError("name: app\npackages: [hello]\npaths:\n  - { path: /bin/hi, target: \"${packages.helo}/bin/hello\" }\n",
                "image.yaml:4:30: paths[0].target: unknown package in '${packages.helo}'"
                        + " (did you mean '${packages.hello}'?)");
    }

    @Test
    void unterminatedPlaceholder() {
        assertError("name: app\nconfig:\n  cmd: [\"echo ${x\"]\n",
                "image.yaml:3:9: config.cmd[0]: unterminated '${' (write '$${' for a literal '${')");
    }

    @Test
    void profilePackageNotDeclared() {
        assertError("name: app\npackages: [{ attr: nginx, name: web }]\nprofile: { packages: [webb] }\n",
                "image.yaml:3:23: profile.packages[0]: unknown package 'webb' (did you mean 'web'?)");
    }

    @Test
    void configUserMustBeDeclared() {
        assertError("name: app\nconfig: { user: \"nobody:root\" }\n",
                "image.yaml:2:17: config.user: unknown user 'nobody' (declared: root)");
        assertError("name: app\nconfig: { user: \"0:wheel\" }\n",
                "image.yaml:2:17: config.user: unknown group 'wheel' (declared: root)");
    }

    @Test
    void badPort() {
        assertError("name: app\nconfig: { exposed-ports: [80, 70000] }\n",
                "image.yaml:2:31: config.exposed-ports[1]: 70000 is out of range 1..65535");
        assertError("name: app\nconfig: { exposed-ports: [\"53/icmp\"] }\n",
                "image.yaml:2:27: config.exposed-ports[0]: unknown protocol 'icmp' (expected tcp, udp or sctp)");
    }

    @Test
    void duplicatePackageName() {
        assertError("name: app\npackages:\n  - nginx\n  - /nix/store/00000000000000000000000000000000-nginx-1.22.1\n",
                "image.yaml:4:5: packages[1]: duplicate package name 'nginx' (also packages[0] at 3:5);"
                        + " set 'name' to tell them apart");
    }

    @Test
    void packagePathInsideAStorePath() {
        assertError("name: app\npackages: [/nix/store/00000000000000000000000000000000-nginx-1.22.1/bin]\n",
                "image.yaml:2:12: packages[0]: '/nix/store/00000000000000000000000000000000-nginx-1.22.1/bin'"
                        + " is a path inside a store path; name the store path itself");
    }

    @Test
    void maxLayersOutOfRange() {
        assertError("name: app\nlayering: { max-layers: 128 }\n",
                "image.yaml:2:25: layering.max-layers: 128 is out of range 2..127");
    }

    @Test
    void unknownStrategyAndCompression() {
        assertError("name: app\nlayering: { strategy: popular }\n",
                "image.yaml:2:23: layering.strategy: unknown strategy 'popular'"
                        + " (expected popularity, size, per-path or single)");
        assertError("name: app\ncompression: xz\n",
                "image.yaml:2:14: compression: unknown compression 'xz' (expected gzip, zstd or none)");
    }
}
