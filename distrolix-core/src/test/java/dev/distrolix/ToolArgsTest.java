package dev.distrolix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolArgsTest {
    @Test
    void aWordStartingWithADashIsRefusedWithAOneLineInputError() {
        assertThatThrownBy(() -> ToolArgs.checkNotOption("flake reference", "--help"))
                .isInstanceOf(InputException.class)
                .hasMessage("flake reference '--help' starts with '-': not a flake reference");
        assertThatThrownBy(() -> ToolArgs.checkNotOption("image name", "-q")).isInstanceOf(InputException.class);
    }

    @Test
    void otherWordsPassUnchanged() {
        assertThat(ToolArgs.checkNotOption("image name", "localhost/a-b:1")).isEqualTo("localhost/a-b:1");
        assertThat(ToolArgs.checkNotOption("flake reference", ".#hello")).isEqualTo(".#hello");
    }
}
