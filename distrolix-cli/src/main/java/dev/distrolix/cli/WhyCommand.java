package dev.distrolix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.distrolix.inspect.StorePathIndex;
import dev.distrolix.transport.OpenedImage;
import dev.distrolix.transport.Transports;
import dev.distrolix.inspect.why.Why;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "why",
        description = {
            "Shows why a store path is in an image, like `nix why-depends`.",
            "",
            "From the image alone: the chain of references from the entrypoint's store path (or the image's "
                    + "roots) to it, each step with the file that names the next store path, and what it costs:",
            "",
            "  own           the bytes of its own files",
            "  closure       its bytes plus everything it references, transitively",
            "  only through  the part of its closure no root reaches without passing through it:",
            "                what the image loses if nothing references it any more",
            "",
            "References are found the way Nix finds them: by scanning every file for the hashes of "
                    + "the other store paths present (one pass over the layers).",
        },
        footerHeading = "%nTargets (and --from):%n",
        footer = {
            "A package name (glibc), NAME-VERSION (glibc-2.36), a store path (/nix/store/HASH-glibc-2.36, "
                    + "its base name or hash part), or any file of the image (/usr/local/bin/nginx: its store path).",
            "",
            "Examples:",
            "  distrolix why oci:out/nginx glibc",
            "  distrolix why oci:out/nginx /nix/store/HASH-pcre2-10.42 --all",
            "  distrolix why podman:localhost/app:1.0 openssl --from python3 --json",
        },
        mixinStandardHelpOptions = true)
final class WhyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    PlatformOption platformOption = new PlatformOption();

    @picocli.CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], podman:NAME[:TAG], docker:NAME[:TAG], docker://HOST[:PORT]/REPO[:TAG] or a path.")
    String image;

    @Parameters(index = "1", paramLabel = "PATH-OR-PACKAGE", description = "What to explain (see below).")
    String target;

    @Option(names = "--from", paramLabel = "PATH-OR-PACKAGE",
            description = "Start from this store path instead of the entrypoint's (or the image's roots).")
    String from;

    @Option(names = "--all", description = "Show every path from the start to the target as a tree, not only a shortest chain.")
    boolean all;

    @Option(names = "--json", description = "Print the answer as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        List<Why.Answer> answers;
        try (OpenedImage o = Transports.open(image, registry.settings())) {
            answers = Why.explain(image, o.image(platformOption.platform()), target, from, SbomCommand.scans());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(answers.stream().map(WhyCommand::toJson).toList()));
        } else {
            for (int i = 0; i < answers.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                print(out, answers.get(i));
            }
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, Why.Answer a) {
        StorePathIndex.Entry t = a.target();
        if (a.chain().size() == 1 && !all) {
            out.printf("%s is where the chains start (%s): nothing needs to lead to it.%n", t.path(), a.startedFrom());
        } else {
            out.printf("%s is in the image through %s:%n%n", t.path(), a.startedFrom());
        }
        if (all) {
            Set<String> shown = new HashSet<>();
            for (String s : a.roots()) {
                if (a.allPaths().containsKey(s)) {
                    out.println(path(s));
                    tree(out, a.allPaths(), s, "", shown);
                }
            }
        } else if (a.chain().size() > 1) {
            String indent = "";
            for (int i = 0; i < a.chain().size(); i++) {
                Why.Step s = a.chain().get(i);
                if (i == 0) {
                    out.println(s.path().path());
                } else {
                    out.println(indent + "└───" + s.path().path() + "   (named in " + named(s.namedBy()) + ")");
                    indent += "    ";
                }
            }
        }
        out.println();
        out.printf("%s costs %s only through it (own %s, closure %s)%n", t.nameAndVersion(),
                Sizes.human(a.onlyThroughBytes()), Sizes.human(a.ownBytes()), Sizes.human(a.closureBytes()));
    }

    private static void tree(PrintWriter out, SortedMap<String, SortedSet<String>> edges, String node, String prefix,
                             Set<String> shown) {
        SortedSet<String> next = edges.getOrDefault(node, java.util.Collections.emptySortedSet());
        if (!shown.add(node)) {
            return;
        }
        int i = 0;
        for (String n : next) {
            boolean last = ++i == next.size();
            boolean expanded = !shown.contains(n) && !edges.getOrDefault(n, java.util.Collections.emptySortedSet()).isEmpty();
            boolean repeat = shown.contains(n) && !edges.getOrDefault(n, java.util.Collections.emptySortedSet()).isEmpty();
            out.println(prefix + (last ? "└───" : "├───") + path(n) + (repeat ? " …" : ""));
            if (expanded) {
                tree(out, edges, n, prefix + (last ? "    " : "│   "), shown);
            }
        }
    }

    private static String path(String base) {
        return "/nix/store/" + base;
    }

    private static String named(String file) {
        return file.isEmpty() ? "the store path itself" : file;
    }

    private static Map<String, Object> toJson(Why.Answer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", a.target().path());
        m.put("name", a.target().name());
        m.put("version", a.target().version());
        m.put("startedFrom", a.startedFrom());
        m.put("starts", a.roots().stream().map(WhyCommand::path).toList());
        m.put("chain", a.chain().stream().map(s -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("storePath", s.path().path());
            x.put("namedBy", s.namedBy().isEmpty() ? null : s.namedBy());
            return x;
        }).toList());
        Map<String, Object> edges = new LinkedHashMap<>();
        a.allPaths().forEach((k, v) -> edges.put(path(k), v.stream().map(WhyCommand::path).toList()));
        m.put("allPaths", edges);
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("own", a.ownBytes());
        size.put("closure", a.closureBytes());
        size.put("onlyThroughIt", a.onlyThroughBytes());
        m.put("size", size);
        return m;
    }
}
