package dev.distrolix.debug;

import java.util.List;

/**
 * What the sidecar's {@code sh -c} runs: a check that the target's files are visible, then
 * COMMAND, or an interactive shell.
 *
 * <p>COMMAND's words are joined with single spaces and run by the toolkit's {@code sh}, as ssh runs
 * a remote command: {@code $TARGET_ROOT}, globs, pipes and redirections are the sidecar's. Quote
 * them for the local shell ({@code -- 'ls $TARGET_ROOT/nix/store | wc -l'}).
 *
 * <p>The check uses only sh built-ins and /proc, so it works in any image with a POSIX sh. It
 * fails when the sidecar may not follow {@code /proc/1/root}: the kernel allows it to the same
 * user as the target's process, or to a holder of CAP_SYS_PTRACE. Its message names both uids,
 * and it exits with {@value #NO_VIEW_EXIT}, distrolix's "input error" code.
 */
public final class SidecarScript {
    /** The target's main process as seen from a sidecar in its pid namespace: the namespace's init. */
    public static final int TARGET_PID = 1;
    public static final String TARGET_ROOT = "/proc/" + TARGET_PID + "/root";
    public static final int NO_VIEW_EXIT = 3;

    private static final String CHECK = String.join("\n",
            "uid() { while read -r k v r; do [ \"$k\" = Uid: ] && echo \"$v\"; done < \"$1\"; }",
            "[ -d \"$TARGET_ROOT/\" ] || { echo \"distrolix: the sidecar (uid $(uid /proc/self/status)) cannot see"
                    + " the files of the target at $TARGET_ROOT, whose main process runs as uid"
                    + " $(uid ${TARGET_ROOT%/root}/status): run the sidecar as that user or with CAP_SYS_PTRACE\" >&2;"
                    + " exit " + NO_VIEW_EXIT + "; }");

    private SidecarScript() {}

    /**
     * The sidecar's command: {@code sh -c 'CHECK; exec sh -c "$0"' 'COMMAND'}, COMMAND's words joined by
     * spaces, or {@code sh -c 'CHECK; exec sh'} for a shell. COMMAND stays a word of its own, so ps in the
     * sidecar and --dry-run show it plainly, and the checking shell is gone once it runs.
     */
    public static List<String> command(List<String> command) {
        if (command.isEmpty()) {
            return List.of("sh", "-c", CHECK + "\nexec sh");
        }
        return List.of("sh", "-c", CHECK + "\nexec sh -c \"$0\"", String.join(" ", command));
    }
}
