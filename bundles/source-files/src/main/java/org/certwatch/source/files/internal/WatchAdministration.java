package org.certwatch.source.files.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.store.SecretSealer;

/**
 * The {@code FileWatches} rules: a pattern must be absolute, plain (no {@code .} or {@code ..}) and under an
 * allowed root; the password is sealed before it is kept; every change is durable, audited, and then handed to
 * the scanner.
 */
final class WatchAdministration {
    static final String CONFIGURE_ROOTS = "no allowed roots are configured: set allowed.roots (for example"
            + " allowed.roots=/etc/ssl,/srv/tls) in etc/org.certwatch.source.files.cfg";
    private static final int MAX_TEXT = 1000;

    private final WatchBook book;
    private final SecretSealer sealer;
    private final Clock clock;
    private final Consumer<AuditEntry> audit;
    private final Runnable changed;
    private volatile List<Path> roots;

    /** {@code changed}: runs after every change, so the scanner takes the new watches. */
    WatchAdministration(WatchBook book, SecretSealer sealer, Clock clock, Consumer<AuditEntry> audit,
            Runnable changed, List<Path> roots) {
        this.book = book;
        this.sealer = sealer;
        this.clock = clock;
        this.audit = audit;
        this.changed = changed;
        this.roots = List.copyOf(roots);
    }

    void roots(List<Path> next) {
        this.roots = List.copyOf(next);
    }

    List<Path> roots() {
        return roots;
    }

    List<FileWatch> watches() {
        return book.all().stream().map(WatchAdministration::view).toList();
    }

    Optional<FileWatch> watch(String id) {
        return book.get(id).map(WatchAdministration::view);
    }

    FileWatch create(FileWatch w, char[] password, String actor) {
        String pattern = checked(w, actor, "files.watch.create", "watch:new");
        String sealed = password == null || password.length == 0 ? null : sealer.seal(password);
        WatchBook.Stored s = book.add(new WatchBook.Stored(null, pattern, w.recursive(), w.homeGroup(), sealed,
                text(w.description()), clock.instant().toString()));
        audited(actor, "files.watch.create", s.id(), "ok");
        changed.run();
        return view(s);
    }

    FileWatch update(FileWatch w, char[] password, String actor) {
        WatchBook.Stored old = book.get(w.id()).orElseThrow(() -> new IllegalArgumentException(
                "no watched path " + w.id()));
        String pattern = checked(w, actor, "files.watch.update", "watch:" + w.id());
        String sealed = password == null ? old.sealedPassword()
                : password.length == 0 ? null : sealer.seal(password);
        WatchBook.Stored s = new WatchBook.Stored(old.id(), pattern, w.recursive(), w.homeGroup(), sealed,
                text(w.description()), old.createdAt());
        book.replace(s);
        audited(actor, "files.watch.update", s.id(), "ok");
        changed.run();
        return view(s);
    }

    void delete(String id, String actor) {
        if (!book.remove(id)) {
            audited(actor, "files.watch.delete", id, "refused: no such watched path");
            throw new IllegalArgumentException("no watched path " + id);
        }
        audited(actor, "files.watch.delete", id, "ok");
        changed.run();
    }

    /** The watches for the scanner, in id order, passwords opened. */
    List<ActiveWatch> active(Consumer<String> problem) {
        return book.all().stream().map(s -> new ActiveWatch(s.id(), s.homeGroup(),
                new WatchedPath(s.pattern(), s.recursive()), open(s, problem))).toList();
    }

    private char[] open(WatchBook.Stored s, Consumer<String> problem) {
        if (s.sealedPassword() == null) {
            return null;
        }
        try {
            return sealer.open(s.sealedPassword());
        } catch (RuntimeException e) {
            problem.accept(s.pattern() + ": the stored password cannot be opened (" + e.getMessage()
                    + "); set it again");
            return null;
        }
    }

    /** The normalized pattern, or a refusal (audited) that says what is wrong. */
    private String checked(FileWatch w, String actor, String action, String target) {
        String why = problem(w);
        if (why != null) {
            audited(actor, action, target, "refused: " + why);
            throw new IllegalArgumentException(why);
        }
        return w.pattern().trim();
    }

    private String problem(FileWatch w) {
        List<Path> allowed = roots;
        if (allowed.isEmpty()) {
            return CONFIGURE_ROOTS;
        }
        String pattern = w.pattern() == null ? "" : w.pattern().trim();
        if (pattern.isEmpty() || pattern.length() > MAX_TEXT || pattern.indexOf('\0') >= 0) {
            return "a watched path is an absolute path or glob of at most " + MAX_TEXT + " characters";
        }
        if (!pattern.startsWith("/")) {
            return "'" + pattern + "' is not an absolute path";
        }
        Path p = Path.of(pattern);
        for (Path segment : p) {
            String s = segment.toString();
            if (s.equals(".") || s.equals("..")) {
                return "'" + pattern + "' has a . or .. segment";
            }
        }
        Path base = new WatchedPath(pattern, w.recursive()).base();
        if (allowed.stream().noneMatch(base::startsWith)) {
            return "'" + pattern + "' is not under an allowed root (" + String.join(", ",
                    allowed.stream().map(Path::toString).toList()) + ")";
        }
        if (!GroupPaths.isWellFormed(w.homeGroup())) {
            return "'" + w.homeGroup() + "' is not a group path (All or All/…)";
        }
        if (w.description() != null && w.description().length() > MAX_TEXT) {
            return "the description is longer than " + MAX_TEXT + " characters";
        }
        return null;
    }

    private void audited(String actor, String action, String id, String outcome) {
        audit.accept(new AuditEntry(clock.instant(), actor, action, id.startsWith("watch:") ? id : "watch:" + id,
                outcome, ""));
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static FileWatch view(WatchBook.Stored s) {
        return new FileWatch(s.id(), s.pattern(), s.recursive(), s.homeGroup(), s.sealedPassword() != null,
                s.description(), Instant.parse(s.createdAt()));
    }
}
