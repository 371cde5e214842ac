package dev.distrolix.debug;

import dev.distrolix.InputException;
import dev.distrolix.target.ImageTarget;

/**
 * {@code --push REGISTRY/REPO}: the toolkit goes to a registry so a cluster can pull it. The push itself
 * is an image target, {@code docker://REGISTRY/REPO:TAG}: {@link DebugSession} builds the toolkit to
 * {@link #target}; {@link #check} refuses a malformed REGISTRY/REPO before any Nix work.
 */
final class ToolkitPush {
    private ToolkitPush() {}

    /** Fails now, before any Nix work, when REGISTRY/REPO cannot name a push target. */
    static void check(String registryRepo) {
        if (registryRepo.isBlank() || registryRepo.contains("://")) {
            throw new InputException("--push '" + registryRepo + "': expected REGISTRY/REPO, e.g. registry.example:5000/tools");
        }
        target(registryRepo, "latest");
    }

    /** The build target that pushes: {@code docker://REGISTRY/REPO:TAG}. */
    static String target(String registryRepo, String tag) {
        String target = "docker://" + registryRepo + ":" + tag;
        try {
            ImageTarget.parse(target);
        } catch (IllegalArgumentException | InputException e) {
            throw new InputException("--push '" + registryRepo + "': " + e.getMessage());
        }
        return target;
    }

    /** The reference the cluster pulls. */
    static String pulledAs(String registryRepo, String tag) {
        return registryRepo + ":" + tag;
    }
}
