package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parser tests on literal samples of each documented {@code nix path-info --json} shape. */
class PathInfoJsonTest {
    private static final String S = "/nix/store/";
    private static final String LEAF = "lnclicgsdh19ghszjbsd6mjivzjddqdx-leaf";
    private static final String MID = "9ym8p8a3w3hynafhawyrk9cilshzjr5x-mid";
    private static final String TOP = "lfwz9ma61jas1jr0dmnpfk7qsnm6aylp-top";
    private static final String GONE = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gone";

    /** Verbatim from Nix 2.8 on this machine (-r on TOP), plus an invalid path as 2.8 prints it. */
    private static final String NIX_2_8 = "[{\"path\":\"/nix/store/" + MID + "\",\"narHash\":"
            + "\"sha256-lTcoR3j1GH6CquBbTqdf5GY5O099iLRrfr30MVk+HZU=\",\"narSize\":168,\"references\":"
            + "[\"/nix/store/" + LEAF + "\"],\"deriver\":\"/nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv\","
            + "\"registrationTime\":1795769902,\"ultimate\":true},"
            + "{\"path\":\"/nix/store/" + TOP + "\",\"narHash\":\"sha256-CHIdVU8sYPRwfcKdI58/1j0y/ssZB6j0aRkukvQiH/Y=\","
            + "\"narSize\":216,\"references\":[\"/nix/store/" + MID + "\",\"/nix/store/" + LEAF + "\"],"
            + "\"deriver\":\"/nix/store/5vwkbryff5m5pvxpbj5fvgc3wvisk1bb-top.drv\",\"registrationTime\":1795769902,"
            + "\"ultimate\":true},"
            + "{\"path\":\"/nix/store/" + LEAF + "\",\"narHash\":\"sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY=\","
            + "\"narSize\":120,\"references\":[],\"deriver\":\"/nix/store/d4mcnklsqjpfnqadb9hcac5xa4fva62i-leaf.drv\","
            + "\"registrationTime\":1795769902,\"ultimate\":true},"
            + "{\"path\":\"/nix/store/" + GONE + "\",\"valid\":false}]";

    /** 2.19–2.22: keyed by full path, absent fields omitted, null for an invalid path; a self-reference. */
    private static final String NIX_2_19 = """
            {
              "/nix/store/%1$s": {
                "deriver": "/nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv",
                "narHash": "sha256-lTcoR3j1GH6CquBbTqdf5GY5O099iLRrfr30MVk+HZU=",
                "narSize": 168,
                "references": ["/nix/store/%2$s", "/nix/store/%1$s"],
                "registrationTime": 1795769902,
                "signatures": ["cache.example.org-1:bm90IGEgcmVhbCBzaWduYXR1cmUgYnV0IHNoYXBlZCBsaWtlIG9uZQ=="],
                "ultimate": true
              },
              "/nix/store/%2$s": {
                "narHash": "sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY=",
                "narSize": 120,
                "references": [],
                "registrationTime": 1795769902,
                "ultimate": true
              },
              "/nix/store/%3$s": null
            }
            """.formatted(MID, LEAF, GONE);

    /** 2.23–2.32: as 2.19 but absent fields are null; nix32 and hex hashes must stay as given. */
    private static final String NIX_2_23 = """
            {"/nix/store/%1$s":{"ca":null,"deriver":null,"narHash":"sha256:1xhz4bs94bhrd7sah1qrrgz34gfn7ygj77f2gmqg8q1c9xaiswh8",
            "narSize":168,"references":["/nix/store/%2$s"],"registrationTime":null,"signatures":[],"ultimate":false},
            "/nix/store/%2$s":{"ca":"fixed:r:sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw","deriver":null,
            "narHash":"sha256:c945a51f6310bea5f31a88290bee9f551fd63f3d7268fba7c391291624cc9b06","narSize":120,
            "references":[],"registrationTime":null,"signatures":[],"ultimate":false}}
            """.formatted(MID, LEAF);

    /** ≥2.33 default (--json-format 1): the 2.23 shape plus version and storeDir in each entry. */
    private static final String NIX_2_33_FORMAT_1 = """
            {"/nix/store/%1$s":{"ca":null,"deriver":"/nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv",
            "narHash":"sha256-lTcoR3j1GH6CquBbTqdf5GY5O099iLRrfr30MVk+HZU=","narSize":168,
            "references":["/nix/store/%2$s"],"registrationTime":1795769902,"signatures":[],"storeDir":"/nix/store",
            "ultimate":true,"version":1},
            "/nix/store/%2$s":{"ca":null,"deriver":null,"narHash":"sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY=",
            "narSize":120,"references":[],"registrationTime":1795769902,"signatures":[],"storeDir":"/nix/store",
            "ultimate":true,"version":1}}
            """.formatted(MID, LEAF);

    /** ≥2.33 --json-format 2: wrapper object, base names as keys and references, structured ca. */
    private static final String NIX_2_33_FORMAT_2 = """
            {"version":2,"storeDir":"/nix/store","info":{
              "%1$s":{"ca":null,"deriver":"xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv",
                "narHash":"sha256-lTcoR3j1GH6CquBbTqdf5GY5O099iLRrfr30MVk+HZU=","narSize":168,
                "references":["%2$s"],"registrationTime":1795769902,"signatures":[],"ultimate":true},
              "%2$s":{"ca":{"method":"nar","hash":"sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY="},"deriver":null,
                "narHash":"sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY=","narSize":120,"references":[],
                "registrationTime":1795769902,"signatures":[],"ultimate":true},
              "%3$s":null}}
            """.formatted(MID, LEAF, GONE);

    /** ≥2.35 --json-format 3: as 2 with structured signatures; here in a non-default store. */
    private static final String NIX_2_35_FORMAT_3 = """
            {"version":3,"storeDir":"/opt/nix/store","info":{
              "%1$s":{"ca":null,"deriver":null,"narHash":"sha256-lTcoR3j1GH6CquBbTqdf5GY5O099iLRrfr30MVk+HZU=",
                "narSize":168,"references":["%2$s","%1$s"],"registrationTime":null,
                "signatures":[{"keyName":"cache.example.org-1","sig":"bm90IGEgcmVhbCBzaWduYXR1cmU="}],"ultimate":false},
              "%2$s":{"ca":null,"deriver":null,"narHash":"sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY=",
                "narSize":120,"references":[],"registrationTime":null,"signatures":[],"ultimate":false}}}
            """.formatted(MID, LEAF);

    @Test
    void nix28ArrayWithInvalidEntry() {
        PathInfoJson.Parsed p = PathInfoJson.parse(NIX_2_8, "/nix/store");
        assertThat(p.infos()).hasSize(3);
        assertThat(p.invalid()).containsExactly(StorePath.parse(S + GONE));
        PathInfo top = find(p, TOP);
        assertThat(top.narSize()).isEqualTo(216);
        assertThat(top.narHash()).isEqualTo("sha256-CHIdVU8sYPRwfcKdI58/1j0y/ssZB6j0aRkukvQiH/Y=");
        assertThat(top.references()).containsExactly(StorePath.parse(S + MID), StorePath.parse(S + LEAF));
        assertThat(find(p, LEAF).references()).isEmpty();
    }

    @Test
    void nix219KeyedByPathWithNullAndSelfReference() {
        PathInfoJson.Parsed p = PathInfoJson.parse(NIX_2_19, "/nix/store");
        assertThat(p.invalid()).containsExactly(StorePath.parse(S + GONE));
        assertThat(find(p, MID).references()).containsExactly(StorePath.parse(S + LEAF)); // self dropped
        assertThat(find(p, LEAF).narSize()).isEqualTo(120);
    }

    @Test
    void nix223NullFieldsAndHashesKeptAsGiven() {
        PathInfoJson.Parsed p = PathInfoJson.parse(NIX_2_23, "/nix/store");
        assertThat(p.invalid()).isEmpty();
        assertThat(find(p, MID).narHash()).isEqualTo("sha256:1xhz4bs94bhrd7sah1qrrgz34gfn7ygj77f2gmqg8q1c9xaiswh8");
        assertThat(find(p, LEAF).narHash())
                .isEqualTo("sha256:c945a51f6310bea5f31a88290bee9f551fd63f3d7268fba7c391291624cc9b06");
    }

    @Test
    void nix233Format1() {
        PathInfoJson.Parsed p = PathInfoJson.parse(NIX_2_33_FORMAT_1, "/nix/store");
        assertThat(p.infos()).extracting(i -> i.path().name()).containsExactlyInAnyOrder("mid", "leaf");
        assertThat(find(p, MID).references()).containsExactly(StorePath.parse(S + LEAF));
    }

    @Test
    void nix233Format2BaseNames() {
        PathInfoJson.Parsed p = PathInfoJson.parse(NIX_2_33_FORMAT_2, "/ignored");
        assertThat(p.invalid()).containsExactly(StorePath.parse(S + GONE));
        assertThat(find(p, MID).path().fullPath()).isEqualTo(S + MID);
        assertThat(find(p, MID).references()).containsExactly(StorePath.parse(S + LEAF));
        assertThat(find(p, LEAF).narHash()).isEqualTo("sha256-yUWlH2MQvqXzGogpC+6fVR/WPz1yaPunw5EpFiTMmwY=");
    }

    @Test
    void nix235Format3UsesItsStoreDir() {
        PathInfoJson.Parsed p = PathInfoJson.parse(NIX_2_35_FORMAT_3, "/nix/store");
        PathInfo mid = find(p, MID);
        assertThat(mid.path().storeDir()).isEqualTo("/opt/nix/store");
        assertThat(mid.references()).containsExactly(StorePath.fromBaseName("/opt/nix/store", LEAF));
    }

    @Test
    void aStoreDirAfterTheEntriesStillAppliesToThem() {
        // read as a stream: the store folder may come after the entries that need it
        String reordered = NIX_2_35_FORMAT_3.replace("{\"version\":3,\"storeDir\":\"/opt/nix/store\",\"info\":{", "{\"version\":3,\"info\":{")
                .stripTrailing().replaceAll("}$", ",\"storeDir\":\"/opt/nix/store\"}");
        assertThat(reordered).isNotEqualTo(NIX_2_35_FORMAT_3).endsWith("\"storeDir\":\"/opt/nix/store\"}");
        PathInfo mid = find(PathInfoJson.parse(reordered, "/nix/store"), MID);
        assertThat(mid.path().storeDir()).isEqualTo("/opt/nix/store");
        assertThat(mid.references()).containsExactly(StorePath.fromBaseName("/opt/nix/store", LEAF));
    }

    @Test
    void aTruncatedOrPaddedDocumentIsInvalidJson() {
        String cut = NIX_2_8.substring(0, NIX_2_8.length() / 2);
        assertThatThrownBy(() -> PathInfoJson.parse(cut, "/nix/store"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> PathInfoJson.parse(NIX_2_8 + "[]", "/nix/store"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> PathInfoJson.parse(NIX_2_23.replace("\"narSize\":168", "\"narSize\":\"168\""),
                "/nix/store")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no narSize");
        assertThatThrownBy(() -> PathInfoJson.parse(NIX_2_23.replace("\"references\":[]", "\"references\":{}"),
                "/nix/store")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an array");
    }

    @Test
    void everyShapeGivesTheSameGraph() {
        for (String json : List.of(NIX_2_19, NIX_2_23, NIX_2_33_FORMAT_1, NIX_2_33_FORMAT_2)) {
            PathInfoJson.Parsed p = PathInfoJson.parse(json, "/nix/store");
            Closure c = new Closure(List.of(StorePath.parse(S + MID)), p.infos());
            assertThat(c.paths()).extracting(StorePath::name).containsExactly("mid", "leaf");
            assertThat(c.totalNarSize()).isEqualTo(288);
        }
    }

    @Test
    void theDeriverIsKeptInEveryShapeAndOneThatIsNoStorePathIsUnknown() {
        StorePath midDrv = StorePath.parse(S + "xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv");
        for (String json : List.of(NIX_2_8, NIX_2_19, NIX_2_33_FORMAT_1, NIX_2_33_FORMAT_2)) {
            PathInfoJson.Parsed p = PathInfoJson.parse(json, "/nix/store");
            assertThat(find(p, MID).deriver()).isEqualTo(midDrv);
        }
        assertThat(find(PathInfoJson.parse(NIX_2_23, "/nix/store"), MID).deriver()).isNull();
        assertThat(find(PathInfoJson.parse(NIX_2_19, "/nix/store"), LEAF).deriver()).isNull(); // absent
        // a base name is in the document's store
        String inOpt = NIX_2_33_FORMAT_2.replace("\"storeDir\":\"/nix/store\"", "\"storeDir\":\"/opt/nix/store\"");
        assertThat(find(PathInfoJson.parse(inOpt, "/nix/store"), MID).deriver().fullPath())
                .isEqualTo("/opt/nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv");
        for (String odd : List.of("\"not a path\"", "42", "{\"path\":\"x\"}", "\"/nix/store/short-mid.drv\"")) {
            String json = NIX_2_8.replace("\"/nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv\"", odd);
            assertThat(find(PathInfoJson.parse(json, "/nix/store"), MID).deriver()).as(odd).isNull();
        }
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> PathInfoJson.parse("not json", "/nix/store"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> PathInfoJson.parse("42", "/nix/store"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown shape");
        assertThatThrownBy(() -> PathInfoJson.parse("[{\"path\":\"/nix/store/" + LEAF + "\"}]", "/nix/store"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("narSize");
    }

    private static PathInfo find(PathInfoJson.Parsed p, String baseName) {
        return p.infos().stream().filter(i -> i.path().baseName().equals(baseName)).findFirst().orElseThrow();
    }
}
