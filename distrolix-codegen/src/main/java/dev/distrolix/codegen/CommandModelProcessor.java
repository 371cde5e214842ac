package dev.distrolix.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Reads the picocli annotations of one package's commands at compile time and writes {@code CommandModels}
 * there: the same command models, built with picocli's programmatic API ({@link ModelSource}).
 *
 * <p>It knows the annotation attributes distrolix uses and no others: an attribute, annotation or member it
 * does not know is a compile error naming it, never a silently different model (a test compares every
 * generated model with the one picocli reads by reflection).
 */
@SupportedAnnotationTypes({"picocli.CommandLine.Command", "picocli.CommandLine.Option",
    "picocli.CommandLine.Parameters", "picocli.CommandLine.Mixin", "picocli.CommandLine.Spec",
    "picocli.CommandLine.ParentCommand", "picocli.CommandLine.ArgGroup", "picocli.CommandLine.Unmatched"})
public final class CommandModelProcessor extends AbstractProcessor {
    static final String PICOCLI = "picocli.CommandLine.";
    /** The attributes understood, per annotation; see {@link ModelSource} for what each becomes. */
    static final Map<String, Set<String>> SUPPORTED = Map.of(
            "Command", Set.of("name", "description", "footer", "footerHeading", "exitCodeList",
                    "exitCodeListHeading", "mixinStandardHelpOptions", "subcommands", "versionProvider"),
            "Option", Set.of("names", "description", "paramLabel", "required", "scope", "split", "defaultValue",
                    "converter"),
            "Parameters", Set.of("index", "arity", "description", "paramLabel"),
            "Mixin", Set.of("name"),
            "Spec", Set.of(),
            "ParentCommand", Set.of());

    /** One annotated field: its kind (Option, Parameters, Mixin, Spec, ParentCommand) and explicit attributes. */
    record Member(String kind, VariableElement field, Map<String, AnnotationValue> values) {
    }

    /** A class with a @Command annotation (or a mixin: {@code command} null), its members superclass first. */
    record Model(TypeElement type, Map<String, AnnotationValue> command, List<Member> members) {
    }

    private boolean written;
    /** Set by any error: then nothing is written (the compile fails, naming each member). */
    private boolean failed;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (written || round.processingOver() || annotations.isEmpty()) {
            return false;
        }
        TypeElement commandAnnotation = processingEnv.getElementUtils().getTypeElement(PICOCLI + "Command");
        if (commandAnnotation == null) {
            return false;
        }
        Map<String, Model> models = new TreeMap<>();
        List<TypeElement> pending = new ArrayList<>();
        for (Element e : round.getElementsAnnotatedWith(commandAnnotation)) {
            pending.add((TypeElement) e);
        }
        // every annotated member must belong to a class that a command or a mixin reaches
        for (TypeElement a : annotations) {
            String name = a.getQualifiedName().toString();
            if (name.endsWith(".ArgGroup") || name.endsWith(".Unmatched")) {
                for (Element e : round.getElementsAnnotatedWith(a)) {
                    error(e, "@" + a.getSimpleName() + " is not supported by the generated command models");
                }
            }
        }
        while (!pending.isEmpty()) {
            TypeElement type = pending.remove(0);
            String key = type.getQualifiedName().toString();
            if (models.containsKey(key)) {
                continue;
            }
            Model m = read(type);
            models.put(key, m);
            for (Member member : m.members()) {
                if (member.kind().equals("Mixin")) {
                    pending.add((TypeElement) ((DeclaredType) member.field().asType()).asElement());
                }
            }
            if (m.command() != null && m.command().containsKey("subcommands")) {
                for (AnnotationValue v : list(m.command().get("subcommands"))) {
                    pending.add((TypeElement) ((DeclaredType) v.getValue()).asElement());
                }
            }
        }
        if (models.isEmpty() || failed) {
            return false;
        }
        String pkg = null;
        for (Model m : models.values()) {
            String p = processingEnv.getElementUtils().getPackageOf(m.type()).getQualifiedName().toString();
            if (pkg != null && !pkg.equals(p)) {
                error(m.type(), "the generated command models need every command in one package (" + pkg + ")");
                return false;
            }
            pkg = p;
        }
        List<Model> ordered = new ArrayList<>(models.values());
        ordered.sort(Comparator.comparing(m -> m.type().getQualifiedName().toString()));
        javax.lang.model.util.Types types = processingEnv.getTypeUtils();
        javax.lang.model.util.Elements elements = processingEnv.getElementUtils();
        TypeMirror collection = types.erasure(elements.getTypeElement("java.util.Collection").asType());
        TypeMirror map = types.erasure(elements.getTypeElement("java.util.Map").asType());
        String source = new ModelSource(pkg, ordered, t -> t.getKind() == TypeKind.ARRAY
                || types.isAssignable(types.erasure(t), collection) || types.isAssignable(types.erasure(t), map)).toString();
        try (Writer w = processingEnv.getFiler()
                .createSourceFile(pkg + "." + ModelSource.CLASS, ordered.stream().map(Model::type).toArray(Element[]::new))
                .openWriter()) {
            w.write(source);
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + ModelSource.CLASS + ": " + e);
        }
        written = true;
        return false;
    }

    private Model read(TypeElement type) {
        Map<String, AnnotationValue> command = annotation(type, "Command");
        if (command != null && type.getModifiers().contains(Modifier.ABSTRACT)) {
            error(type, "an abstract @Command class is not supported by the generated command models");
        }
        List<TypeElement> hierarchy = new ArrayList<>();
        for (TypeElement t = type; t != null; t = superclass(t)) {
            hierarchy.add(0, t);
            if (t != type && annotation(t, "Command") != null) {
                error(t, "a @Command superclass is not supported by the generated command models");
            }
        }
        List<Member> members = new ArrayList<>();
        for (TypeElement t : hierarchy) {
            for (Element e : t.getEnclosedElements()) {
                List<String> kinds = new ArrayList<>();
                for (String kind : SUPPORTED.keySet()) {
                    if (!kind.equals("Command") && annotation(e, kind) != null) {
                        kinds.add(kind);
                    }
                }
                if (kinds.isEmpty()) {
                    continue;
                }
                if (e.getKind() != ElementKind.FIELD || kinds.size() > 1) {
                    error(e, "only fields with one picocli annotation are supported by the generated command models");
                    continue;
                }
                Set<Modifier> mods = e.getModifiers();
                if (mods.contains(Modifier.PRIVATE) || mods.contains(Modifier.FINAL) || mods.contains(Modifier.STATIC)) {
                    error(e, "the generated command models set this field directly: it may be neither private, final nor static");
                }
                members.add(new Member(kinds.get(0), (VariableElement) e, annotation(e, kinds.get(0))));
            }
        }
        return new Model(type, command, members);
    }

    private TypeElement superclass(TypeElement t) {
        TypeMirror s = t.getSuperclass();
        if (s.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement e = (TypeElement) ((DeclaredType) s).asElement();
        return e.getQualifiedName().contentEquals("java.lang.Object") ? null : e;
    }

    /** The explicit attributes of picocli's annotation {@code kind} on {@code e}, or null when it has none. */
    private Map<String, AnnotationValue> annotation(Element e, String kind) {
        for (AnnotationMirror am : e.getAnnotationMirrors()) {
            String name = ((TypeElement) am.getAnnotationType().asElement()).getQualifiedName().toString();
            if (!name.equals(PICOCLI + kind)) {
                continue;
            }
            Map<String, AnnotationValue> values = new LinkedHashMap<>();
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : am.getElementValues().entrySet()) {
                String attribute = v.getKey().getSimpleName().toString();
                if (!SUPPORTED.get(kind).contains(attribute)) {
                    error(e, "@" + kind + "(" + attribute + " = …) is not supported by the generated command models "
                            + "(distrolix-codegen: CommandModelProcessor.SUPPORTED)");
                }
                values.put(attribute, v.getValue());
            }
            return values;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<? extends AnnotationValue> list(AnnotationValue v) {
        Object o = v.getValue();
        return o instanceof List ? (List<? extends AnnotationValue>) o : List.of(v);
    }

    private void error(Element e, String message) {
        failed = true;
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, e);
    }
}
