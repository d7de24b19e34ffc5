package org.certwatch.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.certwatch.api.persistence.Documents;
import org.certwatch.commons.persistence.SharedBackendConnector;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;
import org.certwatch.commons.persistence.UnfinishedMigrate;

/**
 * {@code certwatch migrate --to postgresql|file [--data DIR] [--etc DIR] [--force]}: copies a stopped server's state
 * from its data folder into the database its {@code etc/org.certwatch.persistence.postgresql.cfg} names, or back
 * into an empty data folder, then reads the target again and compares every part's counts and fingerprints.
 *
 * <p>It runs outside OSGi, on the release's jars ({@code bin/certwatch} puts them on the class path), and knows no
 * storage format: each bundle's {@link StateCopy} reads and writes its part through its own file and shared storage
 * classes, and the backend bundle's {@link SharedBackendConnector} opens the database; both are found with
 * {@link ServiceLoader}. A copy under way is marked in the target (a document, or a file in the data folder) until it
 * is verified, so a run cut short is recognised and redone by the next one; the source is only read.
 */
public final class Migrate {
    static final String MARKER_DOCUMENTS = UnfinishedMigrate.DOCUMENTS;
    static final String MARKER_KEY = UnfinishedMigrate.KEY;
    static final String MARKER_FILE = UnfinishedMigrate.FILE;
    /** The parts in the table's order; a part not named here follows in name order. */
    private static final List<String> ORDER = List.of("store", "audit", "fleet", "monitor", "locations", "mail", "files",
            "tls", "discovery");

    private final PrintStream out;
    private final Map<String, String> env;

    Migrate(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    /** The options of one run. */
    record Options(String to, Path data, Path etc, boolean force) {
        static Options parse(String[] args, LauncherSettings defaults) {
            String to = null;
            Path data = defaults.data();
            Path etc = null;
            boolean force = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--to" -> to = value(args, ++i, "--to");
                    case "--data" -> data = Paths.get(value(args, ++i, "--data")).toAbsolutePath();
                    case "--etc" -> etc = Paths.get(value(args, ++i, "--etc")).toAbsolutePath();
                    case "--force" -> force = true;
                    default -> throw new LauncherException("migrate: unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (to == null) {
                throw new LauncherException("migrate: --to postgresql or --to file is required\n" + USAGE);
            }
            if (!"postgresql".equals(to) && !"file".equals(to)) {
                throw new LauncherException("migrate: unknown target '" + to + "': --to postgresql or --to file\n" + USAGE);
            }
            // etc/ sits beside the data folder unless CERTWATCH_ETC or --etc says otherwise, as for the server
            return new Options(to, data, etc != null ? etc : defaults.etc(), force);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new LauncherException("migrate: " + option + " needs a value\n" + USAGE);
            }
            return args[i];
        }
    }

    static final String USAGE = "usage: certwatch migrate --to postgresql|file [--data DIR] [--etc DIR] [--force]";

    public static void main(String[] args) {
        // the pool's start and stop lines would drown the table; warnings and errors still show
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Path cwd = Paths.get("").toAbsolutePath();
        Path home = Paths.get(System.getProperty("certwatch.home", cwd.toString())).toAbsolutePath();
        try {
            Map<String, String> env = System.getenv();
            Options options = Options.parse(args, LauncherSettings.from(env, home, cwd));
            System.exit(new Migrate(System.out, env).run(options));
        } catch (LauncherException e) {
            System.err.println("certwatch: " + e.getMessage());
            System.exit(2);
        }
    }

    /** 0: copied and verified; 1: copied but the target differs; a refusal throws {@link LauncherException}. */
    int run(Options o) {
        // the source of a copy to PostgreSQL is a stopped server's folder: a mistyped --data or CERTWATCH_DATA
        // was created empty (with a lock file) and then refused for a reason that did not name it
        if (o.to().equals("postgresql") && !Files.isDirectory(o.data())) {
            throw new LauncherException("no data folder " + o.data() + " to copy: give --data (or CERTWATCH_DATA) the"
                    + " data folder of the stopped server");
        }
        List<StateCopy> parts = parts();
        SharedBackendConnector connector = connector("postgresql");
        try {
            Files.createDirectories(o.data());
        } catch (IOException e) {
            throw new LauncherException("cannot create " + o.data() + ": " + e.getMessage(), e);
        }
        // the server's own lock: a running server holds it, and no server starts on the folder while this runs
        try (DataFolderLock lock = DataFolderLock.acquire(o.data());
                SharedBackendConnector.Connection db = open(connector, o.etc())) {
            StateSide files = StateSide.files(o.data());
            StateSide shared = StateSide.shared(o.data(), db.persistence());
            boolean toShared = o.to().equals("postgresql");
            StateSide from = toShared ? files : shared;
            StateSide to = toShared ? shared : files;
            String running = db.runningServer();
            if (running != null) {
                throw new LauncherException("a certwatch server (" + running + ") is running on " + db.where()
                        + "; stop every server on it first");
            }
            for (StateCopy part : parts) {
                String refusal = part.refusal(from, env, o.etc());
                if (refusal != null) {
                    throw new LauncherException("not migrated: " + part.part() + ": " + refusal);
                }
            }
            String source = toShared ? o.data().toString() : db.where();
            String target = toShared ? db.where() : o.data().toString();
            if (toShared) {
                prepareDatabase(db, o.force());
            } else {
                prepareFolder(o.data(), o.force());
            }
            out.println("migrating " + source + " -> " + target);
            for (StateCopy part : parts) {
                long started = System.nanoTime();
                part.copy(from, to);
                out.printf("  copied %-10s in %d ms%n", part.part(), (System.nanoTime() - started) / 1_000_000);
            }
            boolean same = verify(parts, from, to);
            if (!same) {
                out.println("the target differs from the source (above); it stays marked as an unfinished migration,"
                        + " and the next migrate starts it again. The source is unchanged.");
                return 1;
            }
            if (toShared) {
                db.persistence().documents(MARKER_DOCUMENTS).delete(MARKER_KEY);
            } else {
                Files.delete(o.data().resolve(MARKER_FILE));
            }
            out.println("migrated and verified: " + target + (toShared
                    ? "; start the servers with this etc (its url selects PostgreSQL)"
                    : "; remove url from " + o.etc().resolve("org.certwatch.persistence.postgresql.cfg")
                            + " (or start with another etc) to start on these files"));
            return 0;
        } catch (LauncherException e) {
            throw e;
        } catch (Exception e) {
            throw new LauncherException("migrate failed (the source is unchanged; run it again): " + e, e);
        }
    }

    private SharedBackendConnector.Connection open(SharedBackendConnector connector, Path etc) {
        try {
            return connector.open(etc);
        } catch (Exception e) {
            throw new LauncherException("cannot open the database: " + e.getMessage(), e);
        }
    }

    /** An empty database, or one a cut-short migrate left, or (--force) any: emptied. */
    private void prepareDatabase(SharedBackendConnector.Connection db, boolean force) {
        if (!db.empty()) {
            Documents marker = db.persistence().documents(MARKER_DOCUMENTS);
            if (marker.get(MARKER_KEY).isPresent()) {
                out.println("the database holds an unfinished migration: emptying it first");
            } else if (force) {
                out.println("WARNING: --force: emptying " + db.where() + ", which holds another certwatch state");
            } else {
                throw new LauncherException("not migrated: " + db.where() + " is not empty (it holds another certwatch"
                        + " state); --force empties it first, and everything in it is lost");
            }
            db.wipe();
        }
        db.persistence().documents(MARKER_DOCUMENTS).put(MARKER_KEY,
                ("from pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));
    }

    /** The target folder holds nothing but the lock, or what a cut-short migrate left (its marker says so). */
    private void prepareFolder(Path data, boolean force) throws IOException {
        List<Path> content = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(data)) {
            for (Path child : children) {
                if (!child.getFileName().toString().equals(DataFolderLock.FILE_NAME)) {
                    content.add(child);
                }
            }
        }
        if (!content.isEmpty()) {
            if (!Files.exists(data.resolve(MARKER_FILE))) {
                throw new LauncherException("not migrated: the data folder " + data + " is not empty; migrate into a"
                        + " new or empty folder (--data DIR)" + (force ? " (--force never empties a data folder)" : ""));
            }
            out.println("the data folder holds an unfinished migration: emptying it first");
            for (Path child : content) {
                if (!child.getFileName().toString().equals(MARKER_FILE)) {
                    deleteTree(child);
                }
            }
        }
        Files.write(data.resolve(MARKER_FILE), ("from pid " + ProcessHandle.current().pid() + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Prints the table; true when every kind has the same count and fingerprint on both sides. */
    boolean verify(List<StateCopy> parts, StateSide from, StateSide to) throws Exception {
        boolean same = true;
        out.printf("%-10s %-26s %8s %8s  %-16s  %s%n", "part", "kind", "source", "target", "fingerprint", "");
        for (StateCopy part : parts) {
            List<Tally> source = part.tally(from);
            List<Tally> target = part.tally(to);
            for (int i = 0; i < Math.max(source.size(), target.size()); i++) {
                Tally s = i < source.size() ? source.get(i) : null;
                Tally t = i < target.size() ? target.get(i) : null;
                boolean ok = s != null && s.equals(t);
                same &= ok;
                Tally shown = s != null ? s : t;
                out.printf("%-10s %-26s %8s %8s  %-16s  %s%n", part.part(), shown.kind(), s == null ? "-" : s.count(),
                        t == null ? "-" : t.count(), shown.fingerprint().substring(0, Math.min(16, shown.fingerprint()
                                .length())), ok ? "ok" : "DIFFERS" + (t == null || s == null ? ""
                                        : " (target " + t.fingerprint().substring(0, Math.min(16, t.fingerprint().length()))
                                                + ")"));
            }
        }
        return same;
    }

    static List<StateCopy> parts() {
        List<StateCopy> parts = new ArrayList<>();
        ServiceLoader.load(StateCopy.class).forEach(parts::add);
        if (parts.isEmpty()) {
            throw new LauncherException("migrate: no bundle of this release offers its state (run it through"
                    + " bin/certwatch, which puts the release's bundles on the class path)");
        }
        parts.sort(Comparator.comparingInt((StateCopy p) -> ORDER.contains(p.part()) ? ORDER.indexOf(p.part())
                : ORDER.size()).thenComparing(StateCopy::part));
        return parts;
    }

    private static SharedBackendConnector connector(String backend) {
        for (SharedBackendConnector c : ServiceLoader.load(SharedBackendConnector.class)) {
            if (c.backend().equals(backend)) {
                return c;
            }
        }
        throw new LauncherException("migrate: this release has no " + backend + " backend");
    }
}
