package dev.distrolix.codegen;

import dev.distrolix.codegen.CommandModelProcessor.Member;
import dev.distrolix.codegen.CommandModelProcessor.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The source of {@code CommandModels}: for each command, the calls picocli's reflection makes for its
 * annotations ({@code CommandReflection.extractCommandSpec}), in the same order and with the same values
 * (what an annotation leaves out, picocli's builders default as the annotation does, except the parameter
 * label, which reflection takes from the field's name), and for each field a binding that reads and writes
 * it directly.
 */
final class ModelSource {
    static final String CLASS = "CommandModels";
    private static final String CL = "picocli.CommandLine";
    private static final String MODEL = CL + ".Model.";

    private final String pkg;
    private final List<Model> models;
    private final StringBuilder out = new StringBuilder();
    /** Numbers the local variables of subcommands across the file. */
    private int subIndex;

    /** Whether a field's type holds many values (an array, a Collection or a Map), as picocli's type info says. */
    private final java.util.function.Predicate<TypeMirror> multiValue;

    ModelSource(String pkg, List<Model> models, java.util.function.Predicate<TypeMirror> multiValue) {
        this.pkg = pkg;
        this.models = models;
        this.multiValue = multiValue;
    }

    @Override
    public String toString() {
        out.setLength(0);
        line("package " + pkg + ";");
        line("");
        line("/**");
        line(" * The command models of this package, written at compile time from their picocli annotations by");
        line(" * distrolix-codegen's CommandModelProcessor: a run builds its commands with picocli's programmatic API");
        line(" * instead of reading the annotations by reflection. Do not edit; change the annotations.");
        line(" */");
        line("@javax.annotation.processing.Generated(\"dev.distrolix.codegen.CommandModelProcessor\")");
        line("@SuppressWarnings({\"unchecked\", \"rawtypes\"})");
        line("final class " + CLASS + " {");
        line("    private " + CLASS + "() {");
        line("    }");
        line("");
        line("    /** A new instance of {@code type}, a command class of this package; null for any other class. */");
        line("    static Object newCommand(Class<?> type) {");
        for (Model m : models) {
            if (m.command() != null) {
                line("        if (type == " + name(m.type()) + ".class) {");
                line("            return new " + name(m.type()) + "();");
                line("        }");
            }
        }
        line("        return null;");
        line("    }");
        line("");
        line("    /**");
        line("     * The command line of {@code command} (an instance of a command class of this package; null for any");
        line("     * other), with the subcommands its annotation names; {@code parent} is the object its");
        line("     * {@code @ParentCommand} field is given (null for none).");
        line("     */");
        line("    static " + CL + " commandLine(Object command, Object parent) {");
        for (Model m : models) {
            if (m.command() != null) {
                line("        if (command instanceof " + name(m.type()) + ") {");
                line("            return " + method(m) + "((" + name(m.type()) + ") command, parent);");
                line("        }");
            }
        }
        line("        return null;");
        line("    }");
        for (Model m : models) {
            line("");
            if (m.command() != null) {
                command(m);
            } else {
                mixin(m);
            }
            if (m.members().stream().anyMatch(b -> bound(b))) {
                line("");
                binding(m);
            }
        }
        line("");
        line("    /** What {@code @Command(mixinStandardHelpOptions = true)} adds: picocli's AutoHelpMixin, as it declares it. */");
        line("    private static " + MODEL + "CommandSpec standardHelpOptions() {");
        line("        " + MODEL + "CommandSpec m = " + MODEL + "CommandSpec.create();");
        line("        m.addOption(" + MODEL + "OptionSpec.builder(\"${picocli.help.name.0:--h}\", \"${picocli.help.name.1:---help}\")"
                + ".paramLabel(\"<helpRequested>\").usageHelp(true).descriptionKey(\"mixinStandardHelpOptions.help\")"
                + ".description(\"Show this help message and exit.\").build());");
        line("        m.addOption(" + MODEL + "OptionSpec.builder(\"${picocli.version.name.0:--V}\", \"${picocli.version.name.1:---version}\")"
                + ".paramLabel(\"<versionRequested>\").versionHelp(true).descriptionKey(\"mixinStandardHelpOptions.version\")"
                + ".description(\"Print version information and exit.\").build());");
        line("        return m;");
        line("    }");
        line("}");
        return out.toString();
    }

    private void command(Model m) {
        Map<String, AnnotationValue> c = m.command();
        line("    private static " + CL + " " + method(m) + "(" + name(m.type()) + " c, Object parent) {");
        line("        " + MODEL + "CommandSpec s = " + MODEL + "CommandSpec.wrapWithoutInspection(c);");
        if (c.containsKey("name")) {
            line("        s.name(" + literal(c.get("name").getValue()) + ");");
        }
        for (String text : List.of("description", "footer")) {
            if (c.containsKey(text)) {
                line("        s.usageMessage()." + text + "(" + strings(c.get(text)) + ");");
            }
        }
        for (String heading : List.of("footerHeading", "exitCodeListHeading")) {
            if (c.containsKey(heading)) {
                line("        s.usageMessage()." + heading + "(" + literal(c.get(heading).getValue()) + ");");
            }
        }
        if (c.containsKey("exitCodeList")) {
            // as picocli's UsageMessageSpec.keyValuesMap: KEY:VALUE split at the first colon
            line("        java.util.Map<String, String> exitCodes = new java.util.LinkedHashMap<>();");
            for (AnnotationValue v : CommandModelProcessor.list(c.get("exitCodeList"))) {
                String s = (String) v.getValue();
                int colon = s.indexOf(':');
                line("        exitCodes.put(" + literal(s.substring(0, colon)) + ", " + literal(s.substring(colon + 1)) + ");");
            }
            line("        s.usageMessage().exitCodeList(exitCodes);");
        }
        if (c.containsKey("versionProvider")) {
            line("        s.versionProvider(new " + typeName((TypeMirror) c.get("versionProvider").getValue()) + "());");
        }
        if (c.containsKey("subcommands")) {
            for (AnnotationValue v : CommandModelProcessor.list(c.get("subcommands"))) {
                String sub = typeName((TypeMirror) v.getValue());
                line("        " + CL + " sub" + subIndex + " = commandLine(new " + sub + "(), c);");
                line("        s.addSubcommand(sub" + subIndex + ".getCommandName(), sub" + subIndex + ");");
                subIndex++;
            }
        }
        members(m, "c", "s");
        if (c.containsKey("mixinStandardHelpOptions") && (Boolean) c.get("mixinStandardHelpOptions").getValue()) {
            line("        s.addMixin(\"mixinStandardHelpOptions\", standardHelpOptions());");
        }
        line("        return new " + CL + "(s);");
        line("    }");
    }

    private void mixin(Model m) {
        line("    private static " + MODEL + "CommandSpec " + method(m) + "(" + name(m.type()) + " c) {");
        line("        " + MODEL + "CommandSpec s = " + MODEL + "CommandSpec.wrapWithoutInspection(c);");
        members(m, "c", "s");
        line("        return s;");
        line("    }");
    }

    private void members(Model m, String c, String s) {
        List<Member> members = m.members();
        for (int i = 0; i < members.size(); i++) {
            Member b = members.get(i);
            VariableElement f = b.field();
            String field = c + "." + f.getSimpleName();
            switch (b.kind()) {
                case "Spec" -> line("        " + field + " = " + s + ";");
                case "ParentCommand" -> line("        " + field + " = (" + erasure(f.asType()) + ") parent;");
                case "Mixin" -> {
                    String type = erasure(f.asType());
                    line("        if (" + field + " == null) {");
                    line("            " + field + " = new " + type + "();");
                    line("        }");
                    String mixinName = b.values().containsKey("name") ? (String) b.values().get("name").getValue()
                            : f.getSimpleName().toString();
                    line("        " + s + ".addMixin(" + literal(mixinName) + ", " + method((TypeElement) ((DeclaredType) f.asType()).asElement())
                            + "(" + field + "));");
                }
                default -> arg(m, b, i, c, s);
            }
        }
    }

    private void arg(Model m, Member b, int index, String c, String s) {
        Map<String, AnnotationValue> v = b.values();
        boolean option = b.kind().equals("Option");
        StringBuilder call = new StringBuilder(MODEL).append(option ? "OptionSpec.builder(" + strings(v.get("names")) + ")"
                : "PositionalParamSpec.builder()");
        if (v.containsKey("index")) {
            call.append(".index(").append(literal(v.get("index").getValue())).append(")");
        }
        boolean manyValues = multiValue.test(b.field().asType());
        if (v.containsKey("arity")) {
            call.append(".arity(").append(literal(v.get("arity").getValue())).append(")");
        } else if (!option && manyValues) {
            // reflection's default for a parameter of many values (the builder's is 1, as for one value)
            call.append(".arity(").append(CL).append(".Range.valueOf(\"0..1\").unspecified(true))");
        }
        String label = v.containsKey("paramLabel") ? ((String) v.get("paramLabel").getValue()).trim()
                : "<" + b.field().getSimpleName() + ">";
        call.append(".paramLabel(").append(literal(label)).append(")");
        if (v.containsKey("description")) {
            call.append(".description(").append(strings(v.get("description"))).append(")");
        }
        call.append(".descriptionKey(\"\")");
        // as reflection: a parameter is required when its arity asks for at least one value
        boolean required = option ? v.containsKey("required") && (Boolean) v.get("required").getValue()
                : v.containsKey("arity") ? arityMin((String) v.get("arity").getValue()) > 0 : !manyValues;
        if (required) {
            call.append(".required(true)");
        }
        if (v.containsKey("scope")) {
            call.append(".scopeType(").append(CL).append(".ScopeType.").append(((VariableElement) v.get("scope").getValue()).getSimpleName()).append(")");
        }
        if (v.containsKey("split")) {
            call.append(".splitRegex(").append(literal(v.get("split").getValue())).append(")");
        }
        if (v.containsKey("defaultValue")) {
            call.append(".defaultValue(").append(literal(v.get("defaultValue").getValue())).append(")");
        }
        if (v.containsKey("converter")) {
            List<String> converters = new ArrayList<>();
            for (AnnotationValue t : CommandModelProcessor.list(v.get("converter"))) {
                converters.add("new " + typeName((TypeMirror) t.getValue()) + "()");
            }
            call.append(".converters(").append(String.join(", ", converters)).append(")");
        }
        TypeMirror type = b.field().asType();
        call.append(".type(").append(erasure(type)).append(".class)");
        call.append(".auxiliaryTypes(").append(String.join(", ", auxiliaryTypes(type))).append(")");
        // as a field binding: the field's value when the model is made is its initial value (picocli sets it
        // again before a parse, and shows it as the default where the help asks for one)
        call.append(".initialValue(").append(c).append('.').append(b.field().getSimpleName()).append(")");
        line("        {");
        line("            " + bindingClass(m) + " f = new " + bindingClass(m) + "(" + c + ", " + index + ");");
        line("            " + s + (option ? ".addOption(" : ".addPositional(") + call + ".getter(f).setter(f).build());");
        line("        }");
    }

    /** The least number of values an arity ("1", "0..1", "1..*", "*") asks for, as picocli's Range reads it. */
    static int arityMin(String arity) {
        String a = arity.trim();
        int dots = a.indexOf("..");
        String min = dots >= 0 ? a.substring(0, dots) : a;
        return min.equals("*") ? 0 : Integer.parseInt(min.trim());
    }

    /** As picocli's RuntimeTypeInfo: a generic type's arguments (their erasure), else an array's component, else the type. */
    private List<String> auxiliaryTypes(TypeMirror type) {
        List<String> aux = new ArrayList<>();
        if (type.getKind() == TypeKind.DECLARED && !((DeclaredType) type).getTypeArguments().isEmpty()) {
            for (TypeMirror a : ((DeclaredType) type).getTypeArguments()) {
                aux.add(erasure(a) + ".class");
            }
        } else if (type.getKind() == TypeKind.ARRAY) {
            aux.add(erasure(((javax.lang.model.type.ArrayType) type).getComponentType()) + ".class");
        } else {
            aux.add(erasure(type) + ".class");
        }
        return aux;
    }

    private static boolean bound(Member b) {
        return b.kind().equals("Option") || b.kind().equals("Parameters");
    }

    /** A getter and setter of the option and parameter fields of one class, by their index among its members. */
    private void binding(Model m) {
        String owner = name(m.type());
        String cls = bindingClass(m);
        line("    private static final class " + cls + " implements " + MODEL + "IGetter, " + MODEL + "ISetter {");
        line("        private final " + owner + " c;");
        line("        private final int field;");
        line("");
        line("        " + cls + "(" + owner + " c, int field) {");
        line("            this.c = c;");
        line("            this.field = field;");
        line("        }");
        line("");
        line("        @Override");
        line("        public <T> T get() {");
        line("            switch (field) {");
        List<Member> members = m.members();
        for (int i = 0; i < members.size(); i++) {
            if (bound(members.get(i))) {
                line("                case " + i + ": return (T) (Object) c." + members.get(i).field().getSimpleName() + ";");
            }
        }
        line("                default: throw new IllegalStateException(\"no field \" + field);");
        line("            }");
        line("        }");
        line("");
        line("        @Override");
        line("        public <T> T set(T value) {");
        line("            Object old;");
        line("            switch (field) {");
        for (int i = 0; i < members.size(); i++) {
            if (bound(members.get(i))) {
                VariableElement f = members.get(i).field();
                String boxed = f.asType().getKind().isPrimitive()
                        ? boxed(f.asType()) : f.asType().toString();
                line("                case " + i + ": old = c." + f.getSimpleName() + "; c." + f.getSimpleName()
                        + " = (" + boxed + ") value; break;");
            }
        }
        line("                default: throw new IllegalStateException(\"no field \" + field);");
        line("            }");
        line("            return (T) old;");
        line("        }");
        line("    }");
    }

    private static String boxed(TypeMirror primitive) {
        return switch (primitive.getKind()) {
            case BOOLEAN -> "Boolean";
            case INT -> "Integer";
            case LONG -> "Long";
            case DOUBLE -> "Double";
            case FLOAT -> "Float";
            case SHORT -> "Short";
            case BYTE -> "Byte";
            case CHAR -> "Character";
            default -> throw new IllegalArgumentException(primitive.toString());
        };
    }

    private static String method(Model m) {
        return method(m.type());
    }

    private static String method(TypeElement t) {
        String flat = flatName(t);
        return Character.toLowerCase(flat.charAt(0)) + flat.substring(1);
    }

    private static String bindingClass(Model m) {
        return flatName(m.type()) + "Fields";
    }

    /** CacheCommand.Du → CacheCommand_Du. */
    private static String flatName(TypeElement t) {
        String s = t.getSimpleName().toString();
        for (Element e = t.getEnclosingElement(); e instanceof TypeElement o; e = o.getEnclosingElement()) {
            s = o.getSimpleName() + "_" + s;
        }
        return s;
    }

    private static String name(TypeElement t) {
        return t.getQualifiedName().toString();
    }

    private static String typeName(TypeMirror t) {
        return name((TypeElement) ((DeclaredType) t).asElement());
    }

    private static String erasure(TypeMirror t) {
        return switch (t.getKind()) {
            case DECLARED -> typeName(t);
            case ARRAY -> erasure(((javax.lang.model.type.ArrayType) t).getComponentType()) + "[]";
            default -> t.toString();
        };
    }

    private static String strings(AnnotationValue v) {
        List<String> parts = new ArrayList<>();
        for (AnnotationValue s : CommandModelProcessor.list(v)) {
            parts.add(literal(s.getValue()));
        }
        return "new String[] {" + String.join(", ", parts) + "}";
    }

    /** A Java string literal, ASCII only (whatever encoding the compiler reads the generated file with). */
    static String literal(Object value) {
        String s = (String) value;
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
