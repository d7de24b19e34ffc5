package org.certwatch.fleet.internal.console;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.felix.service.command.CommandSession;
import org.certwatch.commons.unavailable.Unavailable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The Gogo functions of one command component, scope {@code certwatch}. Each command is a
 * {@code Function} service of its own, registered here when the component activates and gone when it
 * deactivates: Gogo maps a command name to a method name, and {@code enrol-token} or
 * {@code rollover-start} can be no Java method, so DS cannot publish them as one object's methods.
 */
final class Commands {
    private final BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    Commands(BundleContext context) {
        this.context = context;
    }

    /** @param usage what the console's {@code help} prints for it: the arguments, then what it does */
    void add(String name, String usage, Function<List<String>, String> body) {
        add(name, usage, (session, args) -> body.apply(args));
    }

    /** A command that needs its session: one that asks for a password ({@code ConsolePasswords}). */
    void add(String name, String usage, BiFunction<CommandSession, List<String>, String> body) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "certwatch");
        p.put("osgi.command.function", new String[] {name});
        p.put("certwatch.usage", usage);
        registrations.add(context.registerService(org.apache.felix.service.command.Function.class,
                (session, args) -> body.apply(session, args.stream().map(String::valueOf).toList()), p));
    }

    void removeAll() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // gone with the bundle
            }
        }
        registrations.clear();
    }

    static String arg(List<String> a, int i, String name) {
        if (a.size() <= i) {
            throw new IllegalArgumentException("missing argument " + name);
        }
        return a.get(i);
    }

    /** Every command answers with text and turns a refusal into its message; storage unavailable is not one. */
    static String run(Supplier<String> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return Unavailable.why(e).map(Unavailable::said).orElseGet(() -> "refused: " + e.getMessage());
        }
    }
}
