package dev.distrolix.debug;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distrolix.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void plainWordsStayAsTheyAre() {
        assertThat(ShellWords.join(List.of("podman", "run", "--pid=container:web", "localhost/x:1", "a,b@c%d+e")))
                .isEqualTo("podman run --pid=container:web localhost/x:1 a,b@c%d+e");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(ShellWords.quote("")).isEqualTo("''");
        assertThat(ShellWords.quote("$TARGET_ROOT")).isEqualTo("'$TARGET_ROOT'");
        assertThat(ShellWords.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @IntegrationTest
    @Test
    void aRealShellGetsBackTheExactWords() {
        List<String> words = List.of("plain", "", "two words", "it's", "$HOME `id` $(id)", "a\nb", "\"q\"", "*", "\\");
        String script = "for w in " + ShellWords.join(words) + "; do printf '[%s]\\n' \"$w\"; done";
        Sh.Result r = Sh.run(List.of("sh", "-c", script), Map.of(), "");
        List<String> expected = new ArrayList<>();
        words.forEach(w -> expected.add("[" + w + "]"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(String.join("\n", expected) + "\n");
    }
}
