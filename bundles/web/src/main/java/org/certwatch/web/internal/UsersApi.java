package org.certwatch.web.internal;

import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.User;

/**
 * {@code /api/v1/users} (list, create, read, change, delete, reset a password), the caller's own
 * password ({@code POST /api/v1/session/password}) and {@code /api/v1/groups} (list, create, read,
 * delete; a group is named by its short name in paths).
 */
final class UsersApi {
    private final UserAdmin admin;

    UsersApi(UserAdmin admin) {
        this.admin = admin;
    }

    void routes(Router r) {
        r.on("GET", "users", (ex, p) -> ex.json(200, Paging.of(ex).json(admin.users(ex.scope), ApiJson.UserJson::of)))
                .on("POST", "users", (ex, p) -> {
                    ex.auditAs("user.create", "user:new");
                    User u = admin.create(ex.scope, Json.read(ex.body(), UserAdmin.UserBody.class), ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "users/" + u.name());
                    ex.json(201, ApiJson.UserJson.of(u));
                })
                .on("GET", "users/*", (ex, p) -> ex.json(200, ApiJson.UserJson.of(admin.user(ex.scope, p[1]))))
                .on("PUT", "users/*", this::update)
                .on("PATCH", "users/*", this::update)
                .on("DELETE", "users/*", (ex, p) -> {
                    ex.auditAs("user.delete", "user:" + p[1]);
                    admin.delete(ex.scope, p[1], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                })
                .on("POST", "users/*/password", (ex, p) -> {
                    ex.auditAs("user.password", "user:" + p[1]);
                    admin.resetPassword(ex.scope, p[1], Json.read(ex.body(), UserAdmin.PasswordBody.class), ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                })
                .on("POST", "session/password", (ex, p) -> {
                    ex.auditAs("user.password", "user:" + ex.scope.user());
                    admin.changeOwnPassword(ex, Json.read(ex.body(), UserAdmin.OwnPasswordBody.class));
                    ex.send(204, "application/json", new byte[0]);
                })
                .on("GET", "groups", (ex, p) -> ex.json(200, Paging.of(ex).json(admin.groups(ex.scope), g -> g)))
                .on("POST", "groups", (ex, p) -> {
                    ex.auditAs("group.create", "group:new");
                    Group g = admin.createGroup(ex.scope, Json.read(ex.body(), UserAdmin.GroupBody.class), ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "groups/" + g.shortName());
                    ex.json(201, g);
                })
                .on("GET", "groups/*", (ex, p) -> ex.json(200, admin.group(ex.scope, p[1])))
                .on("PUT", "groups/*", this::renameGroup)
                .on("PATCH", "groups/*", this::renameGroup)
                .on("DELETE", "groups/*", (ex, p) -> {
                    ex.auditAs("group.delete", "group:" + p[1]);
                    admin.deleteGroup(ex.scope, p[1], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                });
    }

    /** PUT and PATCH alike, as for users: fields left out keep their value. The renamed group has a new short name. */
    private void renameGroup(Exchange ex, String[] p) {
        ex.auditAs("group.rename", "group:" + p[1]);
        Group g = admin.renameGroup(ex.scope, p[1], Json.read(ex.body(), UserAdmin.GroupRenameBody.class), ex.remote());
        ex.response.getHeaders().put("Content-Location", Api.PREFIX + "groups/" + g.shortName());
        ex.json(200, g);
    }

    private void update(Exchange ex, String[] p) {
        ex.auditAs("user.update", "user:" + p[1]);
        ex.json(200, ApiJson.UserJson.of(admin.update(ex.scope, p[1], Json.read(ex.body(), UserAdmin.UserBody.class), ex.remote())));
    }
}
