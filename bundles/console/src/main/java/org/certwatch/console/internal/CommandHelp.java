package org.certwatch.console.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The console's {@code help}: every registered Gogo command with its usage. A command registered as a
 * {@code Function} names its usage in the service property {@value #USAGE}; one registered as an object
 * with methods has it in the methods' {@link Descriptor} (Gogo's own {@code help} finds no method of a
 * {@code Function} and answers "No methods found").
 */
final class CommandHelp {
    static final String USAGE = "certwatch.usage";
    private static final String SCOPE = "osgi.command.scope";
    private static final String FUNCTION = "osgi.command.function";

    private final BundleContext context;

    CommandHelp(BundleContext context) {
        this.context = context;
    }

    /** {@link #all()} for null, else {@link #of(String)}: what the console answers to {@code help [NAME]}. */
    String answer(String name) {
        return name == null ? all() : of(name);
    }

    /** Every command, {@code scope:name  usage}, sorted by scope and name. */
    String all() {
        TreeMap<String, String> commands = commands();
        StringBuilder b = new StringBuilder();
        commands.forEach((name, usage) -> b.append(name).append(usage.isEmpty() ? "" : "  " + usage).append('\n'));
        return b.append(commands.size()).append(" commands; 'help NAME' shows one").toString();
    }

    /** The command(s) called {@code name} ({@code scope:name} or just the name), or a line saying there is none. */
    String of(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<String> lines = new ArrayList<>();
        commands().forEach((full, usage) -> {
            if (full.equals(wanted) || full.endsWith(":" + wanted)) {
                lines.add(full + (usage.isEmpty() ? "  (no usage recorded)" : "  " + usage));
            }
        });
        return lines.isEmpty() ? "no command '" + name + "'; 'help' lists them all" : String.join("\n", lines);
    }

    private TreeMap<String, String> commands() {
        TreeMap<String, String> commands = new TreeMap<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences((String) null, "(&(" + SCOPE + "=*)(" + FUNCTION + "=*))");
        } catch (InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            String scope = String.valueOf(ref.getProperty(SCOPE));
            for (String function : functions(ref.getProperty(FUNCTION))) {
                commands.put(scope + ":" + function, usage(ref, function));
            }
        }
        return commands;
    }

    private static List<String> functions(Object property) {
        if (property instanceof String[] names) {
            return List.of(names);
        }
        return property == null ? List.of() : List.of(property.toString());
    }

    private String usage(ServiceReference<?> ref, String function) {
        if (ref.getProperty(USAGE) instanceof String usage) {
            return usage;
        }
        Object service = context.getService(ref);
        if (service == null) {
            return "";
        }
        try {
            List<String> descriptions = new ArrayList<>();
            for (Method m : service.getClass().getMethods()) {
                // Gogo calls "import" the method _import: a keyword cannot be a method name
                Descriptor d = m.getAnnotation(Descriptor.class);
                if (d != null && (m.getName().equals(function) || m.getName().equals("_" + function))
                        && !descriptions.contains(d.value())) {
                    descriptions.add(d.value());
                }
            }
            return String.join("; ", descriptions);
        } finally {
            context.ungetService(ref);
        }
    }
}
