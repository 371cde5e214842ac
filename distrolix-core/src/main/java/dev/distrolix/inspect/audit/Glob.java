package dev.distrolix.inspect.audit;

import dev.distrolix.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A path glob as audit ignore rules write it, with the syntax of {@code java.nio}'s {@code glob:}
 * matchers: {@code *} (any characters but {@code /}), {@code **} (any characters, {@code /} too),
 * {@code ?} (one character but {@code /}), {@code [abc]}, {@code [a-z]}, {@code [!a]} (one character,
 * never {@code /}), {@code {a,b}} (alternatives, not nested) and {@code \} (escapes the next character).
 *
 * <p>Matched without regular expressions and without backtracking: the glob is a list of tokens, and
 * a match steps the set of tokens that may come next over the path one character at a time (a
 * Thompson-style simulation), so a path of n characters costs at most n × (tokens) steps whatever
 * the glob — {@code a*a*a*a*…b} against {@code aaaa…} included. Alternatives are expanded into one
 * token list each, at most {@link #MAX_ALTERNATIVES}.
 */
final class Glob {
    static final int MAX_ALTERNATIVES = 256;
    static final int MAX_LENGTH = 4096;

    private enum Kind { CHAR, ONE, STAR, STARSTAR, CLASS }

    /** One token; for CLASS, {@code ranges} holds inclusive pairs. */
    private record Token(Kind kind, char c, char[] ranges, boolean negated) {
        boolean accepts(char x) {
            return switch (kind) {
                case CHAR -> x == c;
                case ONE, STAR -> x != '/';
                case STARSTAR -> true;
                case CLASS -> x != '/' && inRanges(x) != negated;
            };
        }

        private boolean inRanges(char x) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (x >= ranges[i] && x <= ranges[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        boolean repeats() {
            return kind == Kind.STAR || kind == Kind.STARSTAR;
        }
    }

    private final String text;
    private final List<Token[]> alternatives;

    private Glob(String text, List<Token[]> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /**
     * Parses a glob.
     *
     * @throws InputException with a one-line reason ("missing ']'", "nested '{'"…)
     */
    static Glob parse(String glob) {
        if (glob.length() > MAX_LENGTH) {
            throw new InputException("glob longer than " + MAX_LENGTH + " characters");
        }
        List<List<Token>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i);
            if (c == '{') {
                int close = groupEnd(glob, i);
                List<List<Token>> options = new ArrayList<>();
                int start = i + 1;
                for (int j = start; j <= close; j++) {
                    char d = glob.charAt(j);
                    if (d == '\\') {
                        j++;
                    } else if (d == '[') {
                        j = classEnd(glob, j);
                    } else if (d == ',' || j == close) {
                        options.add(tokens(glob, start, j));
                        start = j + 1;
                    }
                }
                List<List<Token>> next = new ArrayList<>();
                for (List<Token> prefix : out) {
                    for (List<Token> option : options) {
                        List<Token> t = new ArrayList<>(prefix);
                        t.addAll(option);
                        next.add(t);
                    }
                }
                if (next.size() > MAX_ALTERNATIVES) {
                    throw new InputException("more than " + MAX_ALTERNATIVES + " alternatives in {…} groups");
                }
                out = next;
                i = close + 1;
            } else {
                int end = i;
                while (end < n && glob.charAt(end) != '{') {
                    char d = glob.charAt(end);
                    if (d == '}') {
                        break; // a stray '}' is an ordinary character, as in java.nio
                    }
                    end = d == '\\' ? end + 2 : d == '[' ? classEnd(glob, end) + 1 : end + 1;
                }
                if (end < n && glob.charAt(end) == '}') {
                    end++;
                }
                end = Math.min(end, n);
                List<Token> part = tokens(glob, i, end);
                for (List<Token> t : out) {
                    t.addAll(part);
                }
                i = end;
            }
        }
        List<Token[]> alts = new ArrayList<>();
        for (List<Token> t : out) {
            alts.add(t.toArray(new Token[0]));
        }
        return new Glob(glob, alts);
    }

    private static int groupEnd(String glob, int open) {
        for (int j = open + 1; j < glob.length(); j++) {
            char d = glob.charAt(j);
            if (d == '\\') {
                j++;
            } else if (d == '[') {
                j = classEnd(glob, j);
            } else if (d == '{') {
                throw new InputException("nested '{' at " + j + " in '" + glob + "'");
            } else if (d == '}') {
                return j;
            }
        }
        throw new InputException("missing '}' in '" + glob + "'");
    }

    /** The index of the ']' closing the class opened at {@code open}. */
    private static int classEnd(String glob, int open) {
        int j = open + 1;
        if (j < glob.length() && glob.charAt(j) == '!') {
            j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
            j++; // a ']' first is a member
        }
        for (; j < glob.length(); j++) {
            char d = glob.charAt(j);
            if (d == '/') {
                throw new InputException("'/' inside [...] in '" + glob + "'");
            }
            if (d == ']') {
                return j;
            }
        }
        throw new InputException("missing ']' in '" + glob + "'");
    }

    /** The tokens of glob[from, to), which holds no '{' group. */
    private static List<Token> tokens(String glob, int from, int to) {
        List<Token> t = new ArrayList<>();
        int i = from;
        while (i < to) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= to) {
                        throw new InputException("nothing after '\\' in '" + glob + "'");
                    }
                    t.add(new Token(Kind.CHAR, glob.charAt(i + 1), null, false));
                    i += 2;
                }
                case '?' -> {
                    t.add(new Token(Kind.ONE, c, null, false));
                    i++;
                }
                case '*' -> {
                    int j = i;
                    while (j < to && glob.charAt(j) == '*') {
                        j++;
                    }
                    Kind k = j - i >= 2 ? Kind.STARSTAR : Kind.STAR;
                    if (t.isEmpty() || t.get(t.size() - 1).kind != Kind.STARSTAR) {
                        t.add(new Token(k, c, null, false));
                    }
                    i = j;
                }
                case '[' -> {
                    int close = classEnd(glob, i);
                    int j = i + 1;
                    boolean negated = j < close && glob.charAt(j) == '!';
                    if (negated) {
                        j++;
                    }
                    StringBuilder ranges = new StringBuilder();
                    while (j < close) {
                        char lo = glob.charAt(j);
                        if (j + 2 < close && glob.charAt(j + 1) == '-') {
                            char hi = glob.charAt(j + 2);
                            if (hi < lo) {
                                throw new InputException("invalid range " + lo + "-" + hi + " in '" + glob + "'");
                            }
                            ranges.append(lo).append(hi);
                            j += 3;
                        } else {
                            ranges.append(lo).append(lo);
                            j++;
                        }
                    }
                    t.add(new Token(Kind.CLASS, c, ranges.toString().toCharArray(), negated));
                    i = close + 1;
                }
                default -> {
                    t.add(new Token(Kind.CHAR, c, null, false));
                    i++;
                }
            }
        }
        return t;
    }

    /** Whether the whole of {@code path} matches. */
    boolean matches(String path) {
        for (Token[] tokens : alternatives) {
            if (matches(tokens, path)) {
                return true;
            }
        }
        return false;
    }

    /** The state set: states[i] = "token i is next" (i = length: matched). One pass over the path. */
    private static boolean matches(Token[] tokens, String path) {
        int m = tokens.length;
        boolean[] now = new boolean[m + 1];
        boolean[] next = new boolean[m + 1];
        now[0] = true;
        close(tokens, now);
        for (int p = 0; p < path.length(); p++) {
            char x = path.charAt(p);
            boolean any = false;
            java.util.Arrays.fill(next, false);
            for (int i = 0; i < m; i++) {
                if (now[i] && tokens[i].accepts(x)) {
                    next[tokens[i].repeats() ? i : i + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
            close(tokens, next);
            boolean[] swap = now;
            now = next;
            next = swap;
        }
        return now[m];
    }

    /** Adds what a star may skip: a star matches the empty string too. */
    private static void close(Token[] tokens, boolean[] states) {
        for (int i = 0; i < tokens.length; i++) {
            if (states[i] && tokens[i].repeats()) {
                states[i + 1] = true;
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
