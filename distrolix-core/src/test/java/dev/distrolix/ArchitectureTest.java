package dev.distrolix;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package dependency rules of distrolix-core: one-way flow, no cycles between the top-level
 * packages. The foundation (the root package's errors, CacheDirs and FileTrees; {@code blob}'s
 * Digest, Compression and RecordKey; {@code json}'s mapper factory) may be used by everyone and uses nothing
 * above it; {@code nix} feeds {@code spec}, {@code layering} and {@code tar}; {@code tar} feeds
 * {@code image}; {@code image} feeds {@code registry}, {@code target} and {@code copy}; {@code build}
 * and {@code cache} sit on top. A fast unit test: it reads the compiled classes, runs no tool.
 */
class ArchitectureTest {
    static final String ROOT = "dev.distrolix";

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
    }

    /** What a class in {@code pkg} may use: itself, the given distrolix packages, anything outside distrolix. */
    static ArchRule mayOnlyUse(String pkg, String because, String... allowed) {
        List<String> packages = new ArrayList<>(List.of(pkg + ".."));
        for (String a : allowed) {
            packages.add(a.equals(ROOT) ? ROOT : a + "..");
        }
        DescribedPredicate<JavaClass> ok = resideOutsideOfPackage(ROOT + "..")
                .or(resideInAnyPackage(packages.toArray(String[]::new)));
        return classes().that().resideInAPackage(pkg + "..")
                .should().onlyDependOnClassesThat(ok.as("outside distrolix or in " + packages))
                .because(because);
    }

    /** The foundation everyone may use: the root package, blob, json. */
    static final String[] FOUNDATION = {ROOT, ROOT + ".blob", ROOT + ".json"};

    static String[] foundationAnd(String... more) {
        List<String> all = new ArrayList<>(List.of(FOUNDATION));
        for (String m : more) {
            all.add(ROOT + "." + m);
        }
        return all.toArray(String[]::new);
    }

    @Test
    void blobDependsOnNoOtherDistrolixPackage() {
        mayOnlyUse(ROOT + ".blob", "Digest and Compression are the bottom of the graph (with the error model)",
                ROOT).check(main);
    }

    @Test
    void jsonDependsOnNoOtherDistrolixPackage() {
        mayOnlyUse(ROOT + ".json", "the mapper factory is the bottom of the graph").check(main);
    }

    @Test
    void theRootPackageDependsOnNoSubpackage() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT)))
                        .as("reside in a subpackage of " + ROOT))
                .because("the errors, CacheDirs and FileTrees are used by every package")
                .check(main);
    }

    @Test
    void specOnlyUsesNix() {
        mayOnlyUse(ROOT + ".spec", "a spec names Nix packages and nothing that builds or writes images",
                foundationAnd("nix")).check(main);
    }

    @Test
    void layeringOnlyUsesNix() {
        mayOnlyUse(ROOT + ".layering", "layering splits a Nix closure and knows nothing of tar or images",
                foundationAnd("nix")).check(main);
    }

    @Test
    void tarOnlyUsesNixAndBlob() {
        mayOnlyUse(ROOT + ".tar", "layers are written from store paths, below the image model",
                foundationAnd("nix")).check(main);
    }

    @Test
    void tarNeverUsesImage() {
        noClasses().that().resideInAPackage(ROOT + ".tar..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".image..")
                .because("the image model is built from layers, not the other way round")
                .check(main);
    }

    @Test
    void imageOnlyUsesTarNixBlobAndJson() {
        mayOnlyUse(ROOT + ".image", "the image model sits below every reader and writer of images",
                foundationAnd("tar", "nix")).check(main);
    }

    @Test
    void imageNeverUsesItsReadersWritersOrBuilders() {
        noClasses().that().resideInAPackage(ROOT + ".image..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".inspect..", ROOT + ".transport..",
                        ROOT + ".copy..", ROOT + ".build..", ROOT + ".registry..", ROOT + ".cache..")
                .because("inspect, transport, copy, build, cache and registry use the image model, not the reverse")
                .check(main);
    }

    @Test
    void registryOnlyUsesImageBlobAndJson() {
        mayOnlyUse(ROOT + ".registry", "the registry client moves image blobs and manifests, nothing more",
                foundationAnd("image")).check(main);
    }

    @Test
    void inspectNeverUsesBuild() {
        noClasses().that().resideInAPackage(ROOT + ".inspect..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".build..")
                .because("inspect reads any image, built by distrolix or not")
                .check(main);
    }

    @Test
    void inspectNeverUsesSpec() {
        noClasses().that().resideInAPackage(ROOT + ".inspect..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".spec..")
                .because("inspect reads any image, built from a spec or not")
                .check(main);
    }

    @Test
    void transportOnlyUsesImageAndRegistry() {
        mayOnlyUse(ROOT + ".transport", "transports read and write the image model and nothing else",
                foundationAnd("image", "registry", "tar")).check(main);
    }

    @Test
    void copyOnlyUsesTransports() {
        mayOnlyUse(ROOT + ".copy", "copy is write(open(source))", foundationAnd("transport", "image", "registry"))
                .check(main);
    }

    @Test
    void nothingDependsOnTheCli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
                .because("the CLI is the top: the library never calls back into it")
                .check(main);
    }

    @Test
    void aShortRunMakesNoObjectMapperAndNoJceMac() {
        noClasses().that(not(JavaClass.Predicates.belongToAnyOf(dev.distrolix.json.Mappers.class,
                        dev.distrolix.lock.ImageLock.class, dev.distrolix.inspect.sbom.SpdxWriter.class,
                        dev.distrolix.inspect.audit.AuditPolicy.class, dev.distrolix.debug.Toolkit.class)))
                .should().dependOnClassesThat().areAssignableTo(com.fasterxml.jackson.databind.ObjectMapper.class)
                .orShould().callMethod(com.fasterxml.jackson.databind.JsonNode.class, "toString")
                .orShould().callMethod(com.fasterxml.jackson.databind.node.ObjectNode.class, "toString")
                .orShould().callMethod(com.fasterxml.jackson.databind.node.ArrayNode.class, "toString")
                .orShould().dependOnClassesThat().areAssignableTo(javax.crypto.Mac.class)
                .because("making an ObjectMapper (JsonNode.toString makes one) costs a short run ~35 ms and"
                        + " javax.crypto.Mac's first use ~25 ms: JsonTrees and RecordKey do without them")
                .check(main);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }
}
