package dev.distrolix.nix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code system} of the derivations that built some outputs, asked of Nix ({@code nix show-derivation}): for
 * the outputs whose derivation file a closure does not name or that cannot be read ({@link DerivationFile} reads
 * the others without a process).
 */
final class DerivationSystems {
    private DerivationSystems() {}

    /** Each output's derivation's system, where Nix knows the derivation (one that has none is left out). */
    static Map<StorePath, String> ask(NixTools tools, Duration queryTimeout, Collection<StorePath> outputs) {
        if (outputs.isEmpty()) {
            return Map.of();
        }
        List<String> args = new ArrayList<>(List.of("--extra-experimental-features", "nix-command", "show-derivation"));
        outputs.forEach(o -> args.add(o.fullPath()));
        ProcessRunner.Result r = tools.run(queryTimeout, "nix", args);
        Map<StorePath, String> systems = new java.util.LinkedHashMap<>();
        if (!r.ok()) {
            // one output without a known deriver (substituted) fails the whole call: ask for each alone
            if (outputs.size() > 1) {
                outputs.forEach(o -> systems.putAll(ask(tools, queryTimeout, List.of(o))));
            }
            return systems; // none known: nothing to check against
        }
        try {
            com.fasterxml.jackson.databind.JsonNode drvs = dev.distrolix.json.JsonTrees.read(r.stdout());
            drvs.fields().forEachRemaining(drv -> drv.getValue().path("outputs").fields().forEachRemaining(out -> {
                String path = out.getValue().path("path").asText("");
                StorePath sp = outputs.stream().filter(o -> o.fullPath().equals(path)).findFirst().orElse(null);
                if (sp != null && drv.getValue().path("system").isTextual()) {
                    systems.put(sp, drv.getValue().get("system").asText());
                }
            }));
        } catch (java.io.IOException e) {
            throw NixErrors.generic(r.command(), "nix show-derivation", "unreadable JSON: " + e.getMessage());
        }
        return systems;
    }
}
