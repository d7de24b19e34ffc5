package org.certwatch.commons.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.felix.service.command.CommandSession;

/**
 * Passwords for console commands, never taken as arguments (a typed line stays on the screen and in the
 * console's history): asked on the session's terminal without echo — the console keeps the reader in the
 * session variable {@value #SESSION_VARIABLE}, a {@code Function<String, char[]>} from prompt to what was typed
 * (null at the end of input) — or read from {@code --password-file FILE}: its first line without surrounding
 * white space, as the key password file is read; a file group or others may access is refused, like an SSH key.
 * Every refusal is an {@link IllegalArgumentException} whose message is the one line the console shows.
 */
public final class ConsolePasswords {
    public static final String SESSION_VARIABLE = "certwatch.secret";
    public static final String OPTION = "--password-file";
    /** How a password is given, for usages and refusals. */
    public static final String HOW = "leave it out to be asked for it (no echo), or give " + OPTION + " FILE (mode 0600)";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private ConsolePasswords() {
    }

    /** A command's arguments with {@code --password-file FILE} taken out. */
    public record Arguments(List<String> positional, Path passwordFile) {
        public static Arguments of(List<String> args) {
            List<String> positional = new ArrayList<>();
            Path file = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals(OPTION)) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(OPTION + " needs a FILE");
                    }
                    file = Path.of(args.get(++i));
                } else if (a.startsWith(OPTION + "=")) {
                    file = Path.of(a.substring(OPTION.length() + 1));
                } else if (a.equals("--password") || a.startsWith("--password=")) {
                    throw new IllegalArgumentException(notAnArgument("the password"));
                } else {
                    positional.add(a);
                }
            }
            return new Arguments(List.copyOf(positional), file);
        }

        public static Arguments of(String... args) {
            return of(Arrays.asList(args));
        }

        /** Refuses more than {@code max} positional arguments: the one too many is taken for a password. */
        public Arguments atMost(int max, String what) {
            if (positional.size() > max) {
                throw new IllegalArgumentException(notAnArgument(what));
            }
            return this;
        }

        public String get(int i, String name) {
            if (positional.size() <= i) {
                throw new IllegalArgumentException("missing argument " + name);
            }
            return positional.get(i);
        }
    }

    /** The one-line refusal of a password given as an argument. */
    public static String notAnArgument(String what) {
        return what + " is not taken as an argument (it would stay on the screen and in the console's history): "
                + HOW;
    }

    /** A password that exists (of a key, a file): from the file, else asked once; refused when neither can be. */
    public static char[] existing(CommandSession session, Path file, String what) {
        if (file != null) {
            return fromFile(file);
        }
        return nonEmpty(ask(session, what + ": "), what);
    }

    /** A password that exists but may be none: from the file, else asked once (Enter: none); null without a terminal. */
    public static char[] optional(CommandSession session, Path file, String what) {
        if (file != null) {
            return fromFile(file);
        }
        if (reader(session) == null) {
            return null;
        }
        char[] typed = ask(session, what + " (Enter for none): ");
        return typed.length == 0 ? null : typed;
    }

    /** A new password: from the file, else asked twice; refused when the two differ (nothing is changed then). */
    public static char[] chosen(CommandSession session, Path file, String what) {
        if (file != null) {
            return fromFile(file);
        }
        char[] first = nonEmpty(ask(session, what + ": "), what);
        char[] second = ask(session, "again, to be sure: ");
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw new IllegalArgumentException("the two entries of " + what + " differ; nothing was changed");
        }
        return first;
    }

    /** The first line of a file only its owner may access, without surrounding white space. */
    public static char[] fromFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(Files.exists(file) ? file + " is not a file (" + OPTION + ")"
                        : file + ": no such password file (" + OPTION + ")");
            }
            Set<PosixFilePermission> open = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            open.retainAll(GROUP_OR_OTHERS);
            if (!open.isEmpty()) {
                throw new IllegalArgumentException(file + " is open to " + (open.stream().anyMatch(p -> p.name()
                        .startsWith("OTHERS")) ? "other users" : "its group") + " (mode "
                        + mode(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) + "): a password file"
                        + " must be its owner's only; chmod 600 " + file);
            }
            String line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            if (line.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no password (its first line is empty)");
            }
            return line.toCharArray();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such password file (" + OPTION + ")");
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": its permissions cannot be checked on this file system");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    @SuppressWarnings("unchecked")
    private static Function<String, char[]> reader(CommandSession session) {
        Object reader = session == null ? null : session.get(SESSION_VARIABLE);
        return reader instanceof Function<?, ?> f ? (Function<String, char[]>) f : null;
    }

    private static char[] ask(CommandSession session, String prompt) {
        Function<String, char[]> reader = reader(session);
        if (reader == null) {
            throw new IllegalArgumentException("no terminal to ask for the password on: give " + OPTION
                    + " FILE (mode 0600)");
        }
        char[] typed = reader.apply(prompt);
        if (typed == null) {
            throw new IllegalArgumentException("no password: the input ended");
        }
        return typed;
    }

    private static char[] nonEmpty(char[] typed, String what) {
        if (typed.length == 0) {
            throw new IllegalArgumentException("no " + what + " typed; nothing was changed");
        }
        return typed;
    }
}
