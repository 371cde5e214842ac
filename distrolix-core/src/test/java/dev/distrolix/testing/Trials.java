package dev.distrolix.testing;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property checks without a framework: {@code tries} inputs drawn from a seeded random source, so a
 * failure names the seed and the input and reruns the same way (set {@code distrolix.trials.seed}
 * to replay one). A failing input is reported as it was drawn; inputs are kept small so a failure is
 * readable without shrinking.
 */
public final class Trials {
    private Trials() {}

    public static <T> void forAll(int tries, Function<SplittableRandom, T> draw, Consumer<T> check) {
        long seed = Long.getLong("distrolix.trials.seed", 0x5eed_d157_01L);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < tries; i++) {
            T input = draw.apply(random);
            try {
                check.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trial " + i + " of seed " + seed + " failed on input " + show(input) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** One of {@code choices}. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** {@code min..max} tokens from {@code tokens}, joined. */
    public static String joined(SplittableRandom r, int min, int max, String... tokens) {
        StringBuilder sb = new StringBuilder();
        int n = min + r.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            sb.append(oneOf(r, tokens));
        }
        return sb.toString();
    }

    private static String show(Object input) {
        String s = String.valueOf(input);
        return s.length() > 300 ? s.substring(0, 300) + "… (" + s.length() + " chars)" : "'" + s + "'";
    }
}
