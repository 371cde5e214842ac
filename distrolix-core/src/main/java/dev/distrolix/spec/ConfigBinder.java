package dev.distrolix.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds the {@code config} section. Strings become templates; those whose form can be checked before
 * packages are built (user, ports, absolute paths) are checked with vars substituted.
 */
final class ConfigBinder {
    private static final Pattern PORT = Pattern.compile("([0-9]+)(?:/([A-Za-z]+))?");
    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "sctp");
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\x00]+");
    /** The signal names container engines take (moby's and containers-common's lists): others they refuse to stop with. */
    private static final java.util.Set<String> SIGNALS = java.util.Set.of("SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD",
            "SIGCLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT", "SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL",
            "SIGPROF", "SIGPWR", "SIGQUIT", "SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP",
            "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ");
    private static final Pattern REALTIME = Pattern.compile("SIGRTMIN(\\+([1-9]|1[0-5]))?|SIGRTMAX(-([1-9]|1[0-4]))?");

    private final Accounts accounts;
    private final TemplateScope templates;

    private ConfigBinder(Accounts accounts, TemplateScope templates) {
        this.accounts = accounts;
        this.templates = templates;
    }

    static ConfigSpec bind(Optional<SpecValue> section, Accounts accounts, TemplateScope templates) {
        if (section.isEmpty()) {
            return ConfigSpec.EMPTY;
        }
        SpecMap map = section.get().map().allowOnly("entrypoint", "cmd", "env", "working-dir", "user",
                "exposed-ports", "volumes", "labels", "stop-signal");
        ConfigBinder binder = new ConfigBinder(accounts, templates);
        return new ConfigSpec(
                binder.argv(map.get("entrypoint"), "entrypoint"),
                binder.argv(map.get("cmd"), "cmd"),
                binder.env(map.get("env")),
                map.get("working-dir").map(v -> binder.absolutePathTemplate(v)),
                map.get("user").map(binder::user),
                binder.exposedPorts(map.get("exposed-ports")),
                map.get("volumes").map(v -> v.listOrSingle().stream().map(binder::absolutePathTemplate).toList())
                        .orElse(List.of()),
                binder.labels(map.get("labels")),
                map.get("stop-signal").map(ConfigBinder::stopSignal));
    }

    /**
     * An argv list. A single string is refused rather than taken as one element: {@code cmd: nginx -g x} would
     * run a program named "nginx -g x", and there is no shell in the image to split it.
     */
    private List<Template> argv(Optional<SpecValue> value, String key) {
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.get().isScalar()) {
            String example = Arrays.stream(value.get().string().trim().split("\\s+"))
                    .map(ConfigBinder::quoted).collect(Collectors.joining(", "));
            throw value.get().error("must be a list, e.g. " + key + ": [" + example + "]");
        }
        return value.get().list().stream().map(templates::template).toList();
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A map in file order, or a list of {@code KEY=VALUE} strings as in a Dockerfile or OCI config. */
    private Map<String, Template> env(Optional<SpecValue> value) {
        Map<String, Template> env = new LinkedHashMap<>();
        if (value.isEmpty()) {
            return env;
        }
        if (value.get().isList()) {
            for (SpecValue item : value.get().list()) {
                String text = item.string();
                int eq = text.indexOf('=');
                if (eq <= 0) {
                    throw item.error("'" + text + "' is not of the form KEY=VALUE");
                }
                String key = text.substring(0, eq);
                if (env.put(key, templates.template(text.substring(eq + 1), item)) != null) {
                    throw item.error("duplicate environment variable '" + key + "'");
                }
            }
            return env;
        }
        for (SpecMap.KeyedValue entry : value.get().map().entries()) {
            if (!ENV_NAME.matcher(entry.key()).matches()) {
                throw new SpecException(entry.keyLocation(), entry.value().path().toString(),
                        "not a valid environment variable name");
            }
            env.put(entry.key(), templates.template(entry.value()));
        }
        return env;
    }

    private Map<String, Template> labels(Optional<SpecValue> value) {
        Map<String, Template> labels = new LinkedHashMap<>();
        for (SpecMap.KeyedValue entry : value.map(v -> v.map().entries()).orElse(List.of())) {
            labels.put(entry.key(), templates.template(entry.value()));
        }
        return labels;
    }

    private Template absolutePathTemplate(SpecValue value) {
        Template template = templates.template(value);
        templates.renderWithoutPackages(template).ifPresent(path -> ImagePaths.checkedAbsolute(path, value, true));
        return template;
    }

    /** {@code name}, {@code uid}, {@code user:group} or {@code uid:gid}; names must be declared accounts. */
    private Template user(SpecValue value) {
        Template template = templates.template(value);
        String user = templates.renderWithoutPackages(template)
                .orElseThrow(() -> value.error("a user cannot refer to a package path"));
        int colon = user.indexOf(':');
        String userPart = colon < 0 ? user : user.substring(0, colon);
        if (userPart.isEmpty() || (colon >= 0 && colon == user.length() - 1)) {
            throw value.error("'" + user + "' is not of the form USER or USER:GROUP");
        }
        checkAccount(value, userPart, true);
        if (colon >= 0) {
            checkAccount(value, user.substring(colon + 1), false);
        }
        return template;
    }

    private void checkAccount(SpecValue at, String nameOrId, boolean user) {
        if (nameOrId.chars().allMatch(Character::isDigit)) {
            at.integer(nameOrId, 0, AccountsBinder.MAX_ID);
            return;
        }
        boolean known = user ? accounts.user(nameOrId).isPresent() : accounts.group(nameOrId).isPresent();
        if (!known) {
            List<String> names = user ? accounts.users().stream().map(Accounts.User::name).toList()
                    : accounts.groups().stream().map(Accounts.Group::name).toList();
            throw AccountsBinder.unknown(at, user ? "user" : "group", nameOrId, names);
        }
    }

    /** Each port normalised to {@code N/proto} (tcp when no protocol is given), as the OCI config wants. */
    private List<Template> exposedPorts(Optional<SpecValue> value) {
        List<Template> ports = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (SpecValue item : value.map(SpecValue::listOrSingle).orElse(List.of())) {
            Template template = templates.template(item);
            String text = templates.renderWithoutPackages(template)
                    .orElseThrow(() -> item.error("a port cannot refer to a package path"));
            Matcher m = PORT.matcher(text);
            if (!m.matches()) {
                throw item.error("'" + text + "' is not a port (expected N or N/tcp, N/udp, N/sctp)");
            }
            long port = item.integer(m.group(1), 1, 65535);
            String protocol = m.group(2) == null ? "tcp" : m.group(2).toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw item.error("unknown protocol '" + m.group(2) + "' (expected tcp, udp or sctp)");
            }
            String normalised = port + "/" + protocol;
            if (seen.contains(normalised)) {
                throw item.error("port " + normalised + " is listed twice");
            }
            seen.add(normalised);
            ports.add(Template.literal(normalised, item.location(), item.path().toString()));
        }
        return ports;
    }

    private static String stopSignal(SpecValue value) {
        String signal = value.string();
        boolean known = signal.matches("[0-9]{1,2}") ? Integer.parseInt(signal) >= 1 && Integer.parseInt(signal) <= 64
                : SIGNALS.contains(signal) || REALTIME.matcher(signal).matches();
        if (!known) {
            throw value.error("'" + dev.distrolix.Printable.shown(signal, 40)
                    + "' is not a signal (expected a name such as SIGTERM or SIGRTMIN+3, or a number from 1 to 64)");
        }
        return signal;
    }
}
