package org.certwatch.web.internal;

import java.util.List;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.FileWatches;

/**
 * The files source's watched paths. Paths on the server's disk are for server administrators only
 * (ADMINISTRATION with home group {@code All}); everyone else gets 403, audited. Without the {@code files}
 * feature the answer is 503 saying so. The service checks the allowed roots and says why it refuses.
 */
final class FileSources {
    /** A watched path as sent; {@code password} null keeps the stored one, empty removes it. */
    record Body(String pattern, Boolean recursive, String homeGroup, String password, String description) {
    }

    private final Services services;
    private final Actions actions;

    FileSources(Services services, Actions actions) {
        this.services = services;
        this.actions = actions;
    }

    static boolean mayManage(UserScope scope) {
        return ServerAdministrators.includes(scope);
    }

    boolean deployed() {
        return services.fileWatches().isPresent();
    }

    /** 403 (audited) unless the caller is a server administrator. */
    void requireAdministrator(UserScope scope, String from, String action) {
        ServerAdministrators.require(actions, scope, from, action, "watched files");
    }

    FileWatches watches() {
        return services.fileWatches().orElseThrow(() -> new Problem(503,
                "the files source is not deployed: deploy the feature 'files' to watch files and keystores"));
    }

    List<FileWatch> list() {
        return watches().watches();
    }

    FileWatch get(String id) {
        return watches().watch(id).orElseThrow(() -> Problem.notFound("watched path '" + id + "'"));
    }

    FileWatch create(UserScope scope, Body body, String from) {
        FileWatches w = watches();
        FileWatch watch = watch(scope, null, body, null);
        try {
            FileWatch created = w.create(watch, password(body.password()), scope.user());
            actions.audit(scope, "web.source.files.create", "watch:" + created.id(), "ok: " + created.pattern(), from);
            return created;
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("path not watched: " + e.getMessage());
        }
    }

    FileWatch update(UserScope scope, String id, Body body, String from) {
        FileWatches w = watches();
        FileWatch old = get(id);
        try {
            FileWatch updated = w.update(watch(scope, id, body, old), password(body.password()), scope.user());
            actions.audit(scope, "web.source.files.update", "watch:" + id, "ok: " + updated.pattern(), from);
            return updated;
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("watched path not changed: " + e.getMessage());
        }
    }

    void delete(UserScope scope, String id, String from) {
        FileWatches w = watches();
        get(id);
        w.delete(id, scope.user());
        actions.audit(scope, "web.source.files.delete", "watch:" + id, "ok", from);
    }

    /** The watch a body describes; fields it leaves out keep {@code old}'s values on update. */
    private FileWatch watch(UserScope scope, String id, Body body, FileWatch old) {
        String pattern = body.pattern() == null || body.pattern().isBlank() ? old == null ? null : old.pattern()
                : body.pattern().trim();
        if (pattern == null) {
            throw Problem.badRequest("field 'pattern' is required: an absolute path or glob under one of the allowed"
                    + " roots " + watches().allowedRoots());
        }
        String group = body.homeGroup() == null && old != null ? old.homeGroup()
                : actions.groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        boolean recursive = body.recursive() != null ? body.recursive() : old != null && old.recursive();
        String description = body.description() != null ? body.description() : old == null ? "" : old.description();
        return new FileWatch(id, pattern, recursive, group, old != null && old.hasPassword(), description,
                old == null ? null : old.createdAt());
    }

    private static char[] password(String password) {
        return password == null ? null : password.toCharArray();
    }
}
