package dev.distrolix.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PathOrderTest {
    /** The order as it is defined: char by char, '/' before any other char, a prefix first. */
    private static int reference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x == '/' ? -1 : y == '/' ? 1 : Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    @Test
    void agreesWithTheCharByCharDefinitionOnPathsThatDifferAroundSlashes() {
        // characters below '/' (space, '!', '-', '.', a control char), '/', above it, and beyond Latin-1
        String alphabet = "/ !-.\u0001/0aZ~\u00e9\u0101/";
        Random random = new Random(20261205);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String a = path(random, alphabet);
            String b = random.nextInt(3) == 0 && !seen.isEmpty() ? seen.get(random.nextInt(seen.size())) : path(random, alphabet);
            if (random.nextInt(3) == 0) { // a long shared prefix, then a difference
                b = a.substring(0, random.nextInt(a.length() + 1)) + path(random, alphabet);
            }
            seen.add(a);
            assertThat(Integer.signum(FlatFilesystem.PATH_ORDER.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(reference(a, b)));
        }
    }

    @Test
    void aDirectorysChildrenFollowItDirectly() {
        TreeSet<String> tree = new TreeSet<>(FlatFilesystem.PATH_ORDER);
        tree.addAll(List.of("/etc", "/etc-x", "/etc.d", "/etc/a", "/etc/a/b", "/etc!", "/etc/a.b", "/etc/a-b", "/etcz"));
        assertThat(tree).containsExactly("/etc", "/etc/a", "/etc/a/b", "/etc/a-b", "/etc/a.b", "/etc!", "/etc-x",
                "/etc.d", "/etcz");
    }

    private static String path(Random random, String alphabet) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
