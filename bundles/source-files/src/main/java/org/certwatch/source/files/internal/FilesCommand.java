package org.certwatch.source.files.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.certwatch.api.source.FileWatch;
import org.certwatch.commons.console.ConsolePasswords;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code certwatch:files} on the console (server administrators at the server):
 * {@code files watch PATTERN [GROUP] [--password-file F]} (the keystores' password: asked for, Enter for none,
 * or read from F; never an argument), {@code files list}, {@code files unwatch ID},
 * {@code files locations}. A Function, so one command carries the sub-commands.
 */
@Component(service = Function.class, property = {"osgi.command.scope=certwatch", "osgi.command.function=files",
        "certwatch.usage=files watch PATTERN [GROUP] [--password-file F] | files list | files unwatch ID"
                + " | files locations: watched certificate files (watch asks for the keystores' password, Enter for"
                + " none)"})
public final class FilesCommand implements Function {
    private static final String USAGE = "usage: files watch PATTERN [GROUP] [--password-file F] | files list"
            + " | files unwatch ID | files locations";
    private final FileWatches watches;
    private final LocationRegistry registry;

    @Activate
    public FilesCommand(@Reference FileWatches watches, @Reference LocationRegistry registry) {
        this.watches = watches;
        this.registry = registry;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = arguments.stream().map(String::valueOf).toList();
        try {
            return switch (args.isEmpty() ? "" : args.get(0)) {
                case "watch" -> watch(session, args);
                case "list" -> String.join("\n", watches.watches().stream().map(FilesCommand::line).toList());
                case "unwatch" -> {
                    watches.delete(argument(args, 1), "console");
                    yield "unwatched " + args.get(1);
                }
                case "locations" -> String.join("\n", registry.locations(new LocationQuery(List.of(),
                        FileScanner.SOURCE, null, 0, 0, 0)).stream().map(FilesCommand::line).toList());
                default -> USAGE;
            };
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private String watch(CommandSession session, List<String> all) {
        ConsolePasswords.Arguments a = ConsolePasswords.Arguments.of(all).atMost(3, "the keystores' password");
        List<String> args = a.positional();
        String pattern = argument(args, 1);
        String group = args.size() > 2 ? args.get(2) : "All";
        char[] password = ConsolePasswords.optional(session, a.passwordFile(), "the keystores' password for " + pattern);
        return line(watches.create(new FileWatch(null, pattern, true, group, false, "", null), password, "console"));
    }

    private static String argument(List<String> args, int i) {
        if (args.size() <= i) {
            throw new IllegalArgumentException(USAGE);
        }
        return args.get(i);
    }

    private static String line(FileWatch w) {
        return w.id() + " " + w.pattern() + " group=" + w.homeGroup() + (w.hasPassword() ? " password=set" : "");
    }

    private static String line(Location l) {
        List<String> parts = new ArrayList<>(List.of(Long.toString(l.id()), l.state().name(), l.ref().address(),
                "certificate=" + l.certificateId()));
        if (l.failure() != null) {
            parts.add(l.failure() + ": " + l.reason());
        }
        return String.join(" ", parts);
    }
}
