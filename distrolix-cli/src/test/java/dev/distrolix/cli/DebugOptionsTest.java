package dev.distrolix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distrolix.debug.ShellWords;
import dev.distrolix.debug.SidecarScript;
import dev.distrolix.testing.Fixtures;
import dev.distrolix.testing.IntegrationTest;
import dev.distrolix.testing.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distrolix debug --kubernetes}, --push and the usage rules: no cluster and no engine needed. */
class DebugOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void kubernetesDryRunPrintsTheKubectlDebugCommand() {
        Cli r = Cli.run("debug", "--kubernetes", "web-7d9/nginx", "-n", "shop", "--image", "busybox:1.36", "--dry-run",
                "--", "ps");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String expectedTail = " --image=busybox:1.36 --target=nginx --profile=general --env=TARGET_ROOT=/proc/1/root -- "
                + ShellWords.join(SidecarScript.command(List.of("ps")));
        assertThat(r.out()).matches("(?s)kubectl debug web-7d9 --namespace=shop -i --container=distrolix-debug-nginx-[0-9a-f]{6}"
                + java.util.regex.Pattern.quote(expectedTail) + "\n");
    }

    @Test
    void kubernetesProfileFollowsPrivilegedOrTheOption() throws Exception {
        Cli privileged = Cli.run("debug", "--kubernetes", "web/app", "--image", "busybox", "--privileged", "--dry-run", "--json");
        assertThat(privileged.exitCode()).as(privileged.err()).isZero();
        JsonNode plan = new ObjectMapper().readTree(privileged.out());
        assertThat(plan.get("runtime").asText()).isEqualTo("kubectl");
        List<String> argv = new ObjectMapper().convertValue(plan.get("argv"),
                new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
        assertThat(argv).contains("--profile=sysadmin", "--target=app").doesNotContain("-t").noneMatch(a -> a.startsWith("--namespace"));
        assertThat(argv.subList(argv.indexOf("--") + 1, argv.size())).isEqualTo(SidecarScript.command(List.of()));
        Cli net = Cli.run("debug", "--kubernetes", "web/app", "--image", "busybox", "--profile", "netadmin", "--dry-run");
        assertThat(net.out()).contains(" --profile=netadmin ");
        Cli bad = Cli.run("debug", "--kubernetes", "web/app", "--image", "busybox", "--profile", "root", "--dry-run");
        assertThat(bad.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(bad.err()).isEqualTo("distrolix: unknown profile 'root' (expected one of baseline, general, legacy,"
                + " netadmin, restricted, sysadmin)\n");
    }

    @Test
    void kubernetesNeedsAnImageTheClusterCanPullAndADryRunNeedsTheContainer() {
        Cli noImage = Cli.run("debug", "--kubernetes", "web/app", "--", "ps"); // refused before kubectl is asked
        assertThat(noImage.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(noImage.err()).isEqualTo("distrolix: a cluster cannot pull distrolix's local toolkit: pass --push"
                + " REGISTRY/REPO, or --image REF (an image with a sh that the cluster can pull)\n");
        Cli noContainer = Cli.run("debug", "--kubernetes", "web", "--image", "busybox", "--dry-run");
        assertThat(noContainer.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(noContainer.err()).isEqualTo("distrolix: name the container to debug: --kubernetes web/CONTAINER"
                + " (--dry-run does not ask the cluster for the pod's first container)\n");
        Cli badPod = Cli.run("debug", "--kubernetes", "Web_1/app", "--image", "busybox", "--dry-run");
        assertThat(badPod.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(badPod.err()).startsWith("distrolix: invalid pod name 'Web_1'");
    }

    @Test
    void kubectlsPodSlashNameFormNamesThePodAndOtherTypesAreRefused() {
        Cli pod = Cli.run("debug", "--kubernetes", "pod/web/app", "--image", "busybox", "--dry-run");
        assertThat(pod.exitCode()).as(pod.err()).isZero();
        assertThat(pod.out()).startsWith("kubectl debug web -i ").contains(" --target=app ");
        Cli pods = Cli.run("debug", "--kubernetes", "pods/web", "--image", "busybox", "--dry-run");
        assertThat(pods.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(pods.err()).as("the pod is web, not 'pods'").isEqualTo("distrolix: name the container to debug:"
                + " --kubernetes web/CONTAINER (--dry-run does not ask the cluster for the pod's first container)\n");
        Cli deploy = Cli.run("debug", "--kubernetes", "deploy/web", "--image", "busybox", "--dry-run");
        assertThat(deploy.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(deploy.err()).isEqualTo("distrolix: --kubernetes deploy/web: debug joins a container of a pod, not of"
                + " a deploy; name one of its pods (kubectl get pods), e.g. --kubernetes pod/web-xxxxx\n");
    }

    @Test
    void kubernetesDryRunNeedsNoImageAndSaysTheImageIsAPlaceholder() {
        Cli r = Cli.run("debug", "--kubernetes", "po/web/app", "--dry-run", "--", "ps");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("kubectl debug web -i ").contains(" --image=IMAGE --target=app ");
        assertThat(r.err()).isEqualTo("image     IMAGE is a placeholder: pass --push REGISTRY/REPO (distrolix builds"
                + " and pushes its toolkit there) or --image REF (an image with a sh the cluster can pull)\n");
    }

    @IntegrationTest
    @Test
    void pushSendsTheToolkitToTheRegistryBeforeAskingTheCluster() throws Exception {
        try (RegistryServer registry = RegistryServer.in(tmp.resolve("registry")).start()) {
            String repo = registry.address() + "/tools";
            Cli dry = Cli.run("debug", "--kubernetes", "web/app", "--push", repo, "--dry-run",
                    "-I", "nixpkgs=" + Fixtures.debianPackageSet());
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out()).startsWith("kubectl debug web ").contains(" --image=" + repo + ":");
            assertThat(registry.blobUploads("tools")).as("a dry run pushes nothing").isZero();

            // a context whose API server is not there: the push happens, then the real kubectl fails to connect
            Path kubeconfig = tmp.resolve("kubeconfig");
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: gone\n"
                    + "clusters: [{name: gone, cluster: {server: 'https://127.0.0.1:1'}}]\n"
                    + "contexts: [{name: gone, context: {cluster: gone, user: u}}]\nusers: [{name: u, user: {}}]\n");
            Cli r = CliProcess.run(Map.of("KUBECONFIG", kubeconfig.toString()), tmp,
                    "debug", "--kubernetes", "web/app", "--push", repo, "-I", "nixpkgs=" + Fixtures.debianPackageSet());
            assertThat(r.exitCode()).as(r.err()).isNotZero();
            String tags = Fixtures.run("skopeo", "list-tags", "--tls-verify=false", "docker://" + repo);
            assertThat(tags).contains("\"Repository\"");
            assertThat(registry.blobUploads("tools")).isPositive();
        }
        Cli bad = Cli.run("debug", "--kubernetes", "web/app", "--push", "Bad Repo/x", "--dry-run");
        assertThat(bad.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(bad.err()).startsWith("distrolix: --push 'Bad Repo/x': ").doesNotContain("\n\n");
    }

    @IntegrationTest
    @Test
    void withoutKubectlOrWithoutAClusterItIsOneLine() throws Exception {
        Path emptyPath = Files.createDirectories(tmp.resolve("bin"));
        Cli noKubectl = CliProcess.run(Map.of("PATH", emptyPath.toString()), tmp,
                "debug", "--kubernetes", "web/app", "--image", "busybox", "--", "ps");
        assertThat(noKubectl.exitCode()).isEqualTo(Distrolix.EXIT_FAILURE);
        assertThat(noKubectl.err()).isEqualTo("distrolix: kubectl is not installed (not on PATH): install it to debug"
                + " pods, or print the command with --dry-run\n");
        // the dry run needs neither kubectl nor a cluster
        Cli dry = CliProcess.run(Map.of("PATH", emptyPath.toString()), tmp,
                "debug", "--kubernetes", "web/app", "--image", "busybox", "--dry-run", "--", "ps");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("kubectl debug web ");

        Path emptyConfig = Files.writeString(tmp.resolve("kubeconfig"), "");
        Cli noContext = CliProcess.run(Map.of("KUBECONFIG", emptyConfig.toString(), "HOME", tmp.toString()), tmp,
                "debug", "--kubernetes", "web/app", "--image", "busybox", "--", "ps");
        assertThat(noContext.exitCode()).isEqualTo(Distrolix.EXIT_FAILURE);
        assertThat(noContext.err()).startsWith("distrolix: kubectl has no cluster to talk to (")
                .endsWith("); set a context (kubectl config use-context NAME) or KUBECONFIG\n");
        assertThat(noContext.err().lines()).hasSize(1);
    }

    @Test
    void usageMistakesAreOneLine() {
        Cli noDash = Cli.run("debug", "web", "ps");
        assertThat(noDash.exitCode()).isEqualTo(Distrolix.EXIT_USAGE);
        assertThat(noDash.err()).startsWith("distrolix: put COMMAND after --, e.g. distrolix debug web -- ps\n");
        Cli both = Cli.run("debug", "web", "--image", "busybox", "--packages", "strace", "--dry-run");
        assertThat(both.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(both.err()).isEqualTo("distrolix: --image and --packages exclude each other\n");
        Cli push = Cli.run("debug", "web", "--push", "localhost:5000/tools", "--dry-run");
        assertThat(push.err()).isEqualTo("distrolix: --push applies to --kubernetes only\n");
        Cli user = Cli.run("debug", "--kubernetes", "web/app", "--user", "1000", "--image", "busybox", "--dry-run");
        assertThat(user.err()).isEqualTo("distrolix: --user does not apply to --kubernetes (kubectl debug's --profile decides)\n");
        Cli badUser = Cli.run("debug", "web", "--user", "nginx", "--dry-run");
        assertThat(badUser.exitCode()).isEqualTo(Distrolix.EXIT_INPUT);
        assertThat(badUser.err()).isEqualTo("distrolix: --user 'nginx': expected UID or UID:GID in numbers (the toolkit"
                + " does not know the target's user names)\n");
        Cli runtime = Cli.run("debug", "web", "--runtime", "lxc", "--dry-run");
        assertThat(runtime.err()).isEqualTo("distrolix: unknown runtime 'lxc' (expected podman or docker)\n");
        Cli json = Cli.run("debug", "web", "--json");
        assertThat(json.exitCode()).isEqualTo(Distrolix.EXIT_USAGE);
        assertThat(json.err()).startsWith("distrolix: --json needs --dry-run\n");
    }

    @Test
    void helpTeachesTargetRootHowCommandRunsAndTheDifferenceToDockerDebug() {
        Cli r = Cli.run("debug", "--help");
        assertThat(r.exitCode()).isZero();
        // prose is wrapped by picocli wherever the width falls: compare it with its line breaks as spaces
        assertThat(r.out().replaceAll("\\s+", " ")).contains("$TARGET_ROOT (/proc/1/root", "as ssh runs a remote command", "-I nixpkgs=testing/debian-pkgs",
                "`docker debug` and cdebug", "distrolix debug web -- 'ls $TARGET_ROOT/nix/store'", "--kubernetes");
        assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
        assertThat(Cli.run("--help").out()).contains("debug");
    }
}
