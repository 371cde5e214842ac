package dev.distrolix.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A string from the spec with {@code ${...}} placeholders, kept unrendered because package store paths are
 * only known after Nix has built the packages. {@code ${name}} is a var, {@code ${packages.NAME}} the store
 * path of a package; {@code $${} stands for a literal {@code ${}; any other {@code $} is literal.
 *
 * <p>Placeholder names are checked against vars and packages when the spec is loaded, so {@link #render}
 * only fails when the caller passes fewer values than the spec declares.
 *
 * @param location where the string was written
 * @param keyPath  the key path of the string, such as {@code config.cmd[1]}, for messages
 */
public record Template(List<Part> parts, SourceLocation location, String keyPath) {
    public static final String PACKAGES_PREFIX = "packages.";
    /**
     * The most text a spec's strings and interpolated files may expand to, together: vars repeated in a 4 MiB spec
     * could otherwise ask for terabytes. Checked when the spec is loaded ({@link TemplateScope}) and again as each
     * string is rendered.
     */
    public static final int MAX_RENDERED = 64 << 20;
    /** What a package placeholder counts for before its store path is known: longer than any store path. */
    static final int PACKAGE_PATH_BOUND = 512;

    public Template {
        parts = List.copyOf(parts);
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(keyPath, "keyPath");
    }

    public sealed interface Part permits Literal, Placeholder {
    }

    public record Literal(String text) implements Part {
        public Literal {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * @param name     the text between the braces: {@code port} or {@code packages.web}
     * @param location where the placeholder is: the string's start for spec strings (YAML folding makes a
     *                 column inside a string unreliable), the exact place for interpolated source files
     */
    public record Placeholder(String name, SourceLocation location) implements Part {
        public Placeholder {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(location, "location");
        }

        public boolean isPackage() {
            return name.startsWith(PACKAGES_PREFIX);
        }

        /** The package name of {@code ${packages.NAME}}. */
        public String packageName() {
            return name.substring(PACKAGES_PREFIX.length());
        }
    }

    /** A template of a string written in the spec; syntax errors are reported at {@code location}. */
    public static Template parse(String text, SourceLocation location, String keyPath) {
        return new Parser(text, location, keyPath, false).parse();
    }

    /** A template of a whole file's text; placeholders and syntax errors get their own line and column. */
    public static Template parseFile(String text, Path file, String keyPath) {
        return new Parser(text, SourceLocation.startOf(file), keyPath, true).parse();
    }

    /** A template without placeholders. */
    public static Template literal(String text, SourceLocation location, String keyPath) {
        return new Template(text.isEmpty() ? List.of() : List.of(new Literal(text)), location, keyPath);
    }

    public List<Placeholder> placeholders() {
        return parts.stream().filter(p -> p instanceof Placeholder).map(p -> (Placeholder) p).toList();
    }

    public boolean isLiteral() {
        return placeholders().isEmpty();
    }

    public boolean mentionsPackages() {
        return placeholders().stream().anyMatch(Placeholder::isPackage);
    }

    /**
     * The string with every placeholder replaced.
     *
     * @param vars         var name to value
     * @param packagePaths package name to its full store path
     * @throws SpecException at the placeholder's location when a name has no value
     */
    public String render(Map<String, String> vars, Map<String, String> packagePaths) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text());
            } else if (part instanceof Placeholder p) {
                String value = p.isPackage() ? packagePaths.get(p.packageName()) : vars.get(p.name());
                if (value == null) {
                    String what = p.isPackage() ? "no store path for package '" + p.packageName() + "'"
                            : "unknown variable '" + p.name() + "'";
                    throw new SpecException(p.location(), keyPath, what + " in '${" + p.name() + "}'");
                }
                if ((long) out.length() + value.length() > MAX_RENDERED) {
                    throw new SpecException(location, keyPath, tooLarge());
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    /**
     * How long the rendered text is at most, with {@code vars}' values and each package path counted as
     * {@link #PACKAGE_PATH_BOUND} characters; computed without rendering (no larger than the sum of the parts).
     */
    long renderedLengthBound(Map<String, String> vars) {
        long n = 0;
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                n += literal.text().length();
            } else if (part instanceof Placeholder p) {
                String value = p.isPackage() ? null : vars.get(p.name());
                n += value == null ? PACKAGE_PATH_BOUND : value.length();
            }
        }
        return n;
    }

    static String tooLarge() {
        return "expands to more than " + (MAX_RENDERED >> 20) + " MiB of text (with the spec's other strings and"
                + " interpolated files): that is the most a spec may expand to";
    }

    /** The template as it would be written in a spec, escapes included. */
    public String source() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text().replace("${", "$${"));
            } else {
                out.append("${").append(((Placeholder) part).name()).append('}');
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source();
    }

    private static final class Parser {
        private final String text;
        private final SourceLocation origin;
        private final String keyPath;
        private final boolean locateInText;
        private final List<Part> parts = new ArrayList<>();
        private final StringBuilder literal = new StringBuilder();
        // Line and column of offset `scanned`, advanced incrementally: placeholders come in increasing order.
        private int scanned;
        private int line = 1;
        private int column = 1;

        Parser(String text, SourceLocation origin, String keyPath, boolean locateInText) {
            this.text = text;
            this.origin = origin;
            this.keyPath = keyPath;
            this.locateInText = locateInText;
        }

        Template parse() {
            int i = 0;
            while (i < text.length()) {
                if (text.startsWith("$${", i)) {
                    literal.append("${");
                    i += 3;
                } else if (text.startsWith("${", i)) {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) {
                        throw new SpecException(locationOf(i), keyPath,
                                "unterminated '${' (write '$${' for a literal '${')");
                    }
                    String name = text.substring(i + 2, close);
                    if (name.isBlank()) {
                        throw new SpecException(locationOf(i), keyPath, "empty placeholder '${" + name + "}'");
                    }
                    flushLiteral();
                    parts.add(new Placeholder(name, locationOf(i)));
                    i = close + 1;
                } else {
                    literal.append(text.charAt(i));
                    i++;
                }
            }
            flushLiteral();
            return new Template(parts, origin, keyPath);
        }

        private void flushLiteral() {
            if (literal.length() > 0) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
        }

        private SourceLocation locationOf(int offset) {
            if (!locateInText) {
                return origin;
            }
            for (; scanned < offset; scanned++) {
                if (text.charAt(scanned) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new SourceLocation(origin.file(), line, column);
        }
    }
}
