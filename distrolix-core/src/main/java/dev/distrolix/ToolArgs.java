package dev.distrolix;

/**
 * Words from the user that end up on the command line of an external tool (nix, podman, docker,
 * kubectl, skopeo): one that starts with {@code -} would be read as an option ({@code podman:--help},
 * {@code flake:--help}), so where the tool has no {@code --} before it, it is refused here.
 */
public final class ToolArgs {
    private ToolArgs() {}

    /**
     * Returns {@code word}, or throws when it would be taken for an option.
     *
     * @param what what the word is, for the message ("flake reference", "image name")
     * @throws InputException "flake reference '--help' starts with '-': not a flake reference"
     */
    public static String checkNotOption(String what, String word) {
        if (word != null && word.startsWith("-")) {
            throw new InputException(what + " '" + word + "' starts with '-': not a " + what);
        }
        return word;
    }
}
