package dev.distrolix.nix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DumpDbParseTest {
    /** Verbatim `nix-store --dump-db $(nix-store -qR top)` from Nix 2.8 on this machine. */
    private static final String DUMP = """
            /nix/store/lnclicgsdh19ghszjbsd6mjivzjddqdx-leaf
            c945a51f6310bea5f31a88290bee9f551fd63f3d7268fba7c391291624cc9b06
            120
            /nix/store/d4mcnklsqjpfnqadb9hcac5xa4fva62i-leaf.drv
            0
            /nix/store/9ym8p8a3w3hynafhawyrk9cilshzjr5x-mid
            9537284778f5187e82aae05b4ea75fe466393b4f7d88b46b7ebdf431593e1d95
            168
            /nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv
            1
            /nix/store/lnclicgsdh19ghszjbsd6mjivzjddqdx-leaf
            /nix/store/lfwz9ma61jas1jr0dmnpfk7qsnm6aylp-top
            08721d554f2c60f4707dc29d239f3fd63d32fecb1907a8f469192e92f4221ff6
            216

            2
            /nix/store/9ym8p8a3w3hynafhawyrk9cilshzjr5x-mid
            /nix/store/lnclicgsdh19ghszjbsd6mjivzjddqdx-leaf
            """;

    @Test
    void parsesBlocksIncludingAnEmptyDeriver() {
        List<PathInfo> infos = ClosureQuery.parseDumpDb(DUMP);
        assertThat(infos).extracting(i -> i.path().name()).containsExactly("leaf", "mid", "top");
        assertThat(infos.get(0).narHash())
                .isEqualTo("sha256:c945a51f6310bea5f31a88290bee9f551fd63f3d7268fba7c391291624cc9b06");
        assertThat(infos.get(2).narSize()).isEqualTo(216);
        assertThat(infos.get(2).references()).extracting(StorePath::name).containsExactly("mid", "leaf");
        assertThat(infos.get(1).deriver()).isEqualTo(StorePath.parse("/nix/store/xh606q1g11bvgaw75gaq8z3cqg6g6nyv-mid.drv"));
        assertThat(infos.get(2).deriver()).isNull();
    }

    @Test
    void rejectsTruncatedOutput() {
        assertThatThrownBy(() -> ClosureQuery.parseDumpDb(DUMP.substring(0, DUMP.length() - 50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }
}
