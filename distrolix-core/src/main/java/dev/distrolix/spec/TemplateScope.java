package dev.distrolix.spec;

import dev.distrolix.spec.Template.Placeholder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The names a template may use in this spec (its vars and declared packages). Every template is checked when
 * it is created, which is how unknown names are reported when the spec is loaded rather than after a long
 * Nix build.
 */
final class TemplateScope {
    private final Map<String, String> vars;
    private final List<String> packageNames;
    /** What the spec's templates checked so far expand to, at most ({@link Template#MAX_RENDERED}). */
    private long rendered;

    TemplateScope(Map<String, String> vars, List<String> packageNames) {
        this.vars = vars;
        this.packageNames = packageNames;
    }

    /** The value as a template, checked. */
    Template template(SpecValue value) {
        return template(value.string(), value);
    }

    /** Some text taken from a value (part of it, for {@code KEY=VALUE} env entries), checked. */
    Template template(String text, SpecValue value) {
        return check(Template.parse(text, value.location(), value.path().toString()));
    }

    Template check(Template template) {
        for (Placeholder p : template.placeholders()) {
            if (p.isPackage() ? !packageNames.contains(p.packageName()) : !vars.containsKey(p.name())) {
                throw new SpecException(p.location(), template.keyPath(), unknownNameProblem(p));
            }
        }
        rendered += template.renderedLengthBound(vars);
        if (rendered > Template.MAX_RENDERED) {
            throw new SpecException(template.location(), template.keyPath(), Template.tooLarge());
        }
        return template;
    }

    private String unknownNameProblem(Placeholder p) {
        List<String> known = Stream.concat(vars.keySet().stream(),
                packageNames.stream().map(n -> Template.PACKAGES_PREFIX + n)).toList();
        String hint = Suggestions.closest(p.name(), known).map(s -> " (did you mean '${" + s + "}'?)")
                .orElse(p.isPackage() ? " (no such package)" : " (not in vars)");
        String what = p.isPackage() ? "unknown package" : "unknown variable";
        return what + " in '${" + p.name() + "}'" + hint;
    }

    /**
     * The rendered text when the template uses vars only: fields such as {@code config.user} and
     * {@code exposed-ports} are then validated at load time. Empty when it mentions a package.
     */
    Optional<String> renderWithoutPackages(Template template) {
        return template.mentionsPackages() ? Optional.empty() : Optional.of(template.render(vars, Map.of()));
    }

    /**
     * The rendered text with each package path replaced by a stand-in of the same shape (an absolute store
     * path without '.' or '..' segments), for checks of a path's structure before Nix has run.
     */
    String renderWithStandInPackages(Template template) {
        Map<String, String> standIns = new java.util.HashMap<>();
        packageNames.forEach(n -> standIns.put(n, "/nix/store/00000000000000000000000000000000-package"));
        return template.render(vars, standIns);
    }
}
