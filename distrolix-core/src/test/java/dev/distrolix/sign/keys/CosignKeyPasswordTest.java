package dev.distrolix.sign.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distrolix.InputException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CosignKeyPasswordTest {
    static final KeyPassword.Prompter NO_PROMPT = prompt -> {
        throw new AssertionError("prompted although COSIGN_PASSWORD is set");
    };

    @Test
    void takesTheEnvironmentVariableEvenWhenEmpty() {
        try (KeyPassword pw = KeyPassword.read(Map.of("COSIGN_PASSWORD", "s3cret")::get, NO_PROMPT, true)) {
            assertThat(pw.chars()).containsExactly('s', '3', 'c', 'r', 'e', 't');
        }
        try (KeyPassword pw = KeyPassword.read(Map.of("COSIGN_PASSWORD", "")::get, null, false)) {
            assertThat(pw.chars()).isEmpty();
        }
    }

    @Test
    void unsetWithoutATerminalIsOneLine() {
        assertThatThrownBy(() -> KeyPassword.read(Map.<String, String>of()::get, null, false))
                .isInstanceOf(InputException.class)
                .hasMessage("COSIGN_PASSWORD is not set: set it to the key's password (empty for none)");
    }

    @Test
    void unsetWithATerminalPrompts() {
        List<String> prompts = new ArrayList<>();
        try (KeyPassword pw = KeyPassword.read(Map.<String, String>of()::get, p -> {
            prompts.add(p);
            return "typed".toCharArray();
        }, false)) {
            assertThat(new String(pw.chars())).isEqualTo("typed");
        }
        assertThat(prompts).containsExactly("Enter password for private key: ");
    }

    @Test
    void aNewKeysPasswordIsTypedTwiceAndMustMatch() {
        try (KeyPassword pw = KeyPassword.read(Map.<String, String>of()::get, answers("same", "same"), true)) {
            assertThat(new String(pw.chars())).isEqualTo("same");
        }
        assertThatThrownBy(() -> KeyPassword.read(Map.<String, String>of()::get, answers("one", "two"), true))
                .isInstanceOf(InputException.class).hasMessage("the two passwords do not match");
        assertThatThrownBy(() -> KeyPassword.read(Map.<String, String>of()::get, prompt -> null, false))
                .isInstanceOf(InputException.class).hasMessageContaining("end of input");
    }

    @Test
    void closingWipesAndToStringHides() {
        KeyPassword pw = KeyPassword.of("hunter2".toCharArray());
        assertThat(pw.toString()).doesNotContain("hunter2");
        char[] chars = pw.chars();
        pw.close();
        assertThat(chars).containsOnly('\0');
    }

    private static KeyPassword.Prompter answers(String... typed) {
        Deque<String> queue = new ArrayDeque<>(List.of(typed));
        return prompt -> queue.removeFirst().toCharArray();
    }
}
