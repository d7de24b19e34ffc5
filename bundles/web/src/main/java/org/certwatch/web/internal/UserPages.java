package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserScope;

/**
 * {@code /users} (administrators: create, change, reset a password, delete), {@code /groups}
 * (create, delete) and {@code /account} (everyone: their own password). Forms post back here with the
 * CSRF token and redirect (post/redirect/get).
 */
final class UserPages {
    private final UserAdmin admin;

    UserPages(UserAdmin admin) {
        this.admin = admin;
    }

    void routes(Router r) {
        r.on("GET", "users", (ex, p) -> {
            admin.requireAdmin(ex.scope, "user.read", ex.remote());
            page(ex, "Users", users(ex.scope, csrf(ex)));
        })
                .on("POST", "users", (ex, p) -> {
                    ex.auditAs("user.create", "user:new");
                    Map<String, String> f = ex.form();
                    User u = admin.create(ex.scope, new UserAdmin.UserBody(f.get("name"), f.get("homeGroup"),
                            permissions(ex), f.get("password"), null), ex.remote());
                    ex.redirect("/users#user-" + u.name());
                })
                .on("POST", "users/*", (ex, p) -> {
                    ex.auditAs("user.update", "user:" + p[1]);
                    Map<String, String> f = ex.form();
                    admin.update(ex.scope, p[1], new UserAdmin.UserBody(null, f.get("homeGroup"), permissions(ex), null,
                            f.containsKey("enabled")), ex.remote());
                    ex.redirect("/users#user-" + p[1]);
                })
                .on("POST", "users/*/password", (ex, p) -> {
                    ex.auditAs("user.password", "user:" + p[1]);
                    admin.resetPassword(ex.scope, p[1], new UserAdmin.PasswordBody(ex.form().get("password")), ex.remote());
                    ex.redirect("/users#user-" + p[1]);
                })
                .on("POST", "users/*/delete", (ex, p) -> {
                    ex.auditAs("user.delete", "user:" + p[1]);
                    admin.delete(ex.scope, p[1], ex.remote());
                    ex.redirect("/users");
                })
                .on("GET", "groups", (ex, p) -> {
                    admin.requireAdmin(ex.scope, "group.read", ex.remote());
                    page(ex, "Groups", groups(ex.scope, csrf(ex)));
                })
                .on("POST", "groups", (ex, p) -> {
                    ex.auditAs("group.create", "group:new");
                    Map<String, String> f = ex.form();
                    admin.createGroup(ex.scope, new UserAdmin.GroupBody(f.get("path"), f.get("description")), ex.remote());
                    ex.redirect("/groups");
                })
                .on("POST", "groups/*/rename", (ex, p) -> {
                    ex.auditAs("group.rename", "group:" + p[1]);
                    Map<String, String> f = ex.form();
                    Group g = admin.renameGroup(ex.scope, p[1], new UserAdmin.GroupRenameBody(f.get("name"), f.get("description")),
                            ex.remote());
                    ex.redirect("/groups#group-" + g.shortName());
                })
                .on("POST", "groups/*/delete", (ex, p) -> {
                    ex.auditAs("group.delete", "group:" + p[1]);
                    admin.deleteGroup(ex.scope, p[1], ex.remote());
                    ex.redirect("/groups");
                })
                .on("GET", "account", (ex, p) -> page(ex, "Your account", account(ex.scope, csrf(ex), null)))
                .on("POST", "account/password", (ex, p) -> {
                    ex.auditAs("user.password", "user:" + ex.scope.user());
                    Map<String, String> f = ex.form();
                    if (!f.getOrDefault("newPassword", "").equals(f.get("repeatPassword"))) {
                        throw Problem.badRequest("the new password and its repetition differ");
                    }
                    admin.changeOwnPassword(ex, new UserAdmin.OwnPasswordBody(f.get("currentPassword"), f.get("newPassword")));
                    page(ex, "Your account", account(ex.scope, csrf(ex), "Password changed."));
                });
    }

    private static String csrf(Exchange ex) {
        return ex.session == null ? null : ex.session.csrf();
    }

    private static void page(Exchange ex, String title, String body) {
        ex.html(200, Html.page(title, ex.scope, csrf(ex), body));
    }

    /** The ticked permission checkboxes (each a field {@code perm.NAME}). */
    private static List<String> permissions(Exchange ex) {
        List<String> names = new ArrayList<>();
        for (Permission p : Permission.values()) {
            if (ex.form().containsKey("perm." + p.name())) {
                names.add(p.name());
            }
        }
        return names;
    }

    private String users(UserScope scope, String csrf) {
        StringBuilder b = new StringBuilder("<p>The users in your home group and below. You grant only permissions you hold.</p>");
        for (User u : admin.users(scope)) {
            String base = "/users/" + esc(u.name());
            b.append("<section class=\"box\" id=\"user-").append(esc(u.name())).append("\"><h2>").append(esc(u.name()))
                    .append(u.enabled() ? "" : " <span class=\"muted\">disabled</span>").append("</h2>");
            if (u.name().equals(scope.user())) {
                b.append("<p>").append(esc(u.homeGroup())).append(" · ").append(esc(u.permissions().stream().sorted().toList()))
                        .append(" · this is you: change your password on <a href=\"/account\">your account</a></p></section>");
                continue;
            }
            b.append("<form method=\"post\" action=\"").append(base).append("\">").append(Html.csrfField(csrf))
                    .append(groupSelect(scope, u.homeGroup())).append(checkboxes(scope, u))
                    .append("<label class=\"check\"><input type=\"checkbox\" name=\"enabled\"").append(u.enabled() ? " checked" : "")
                    .append("> may log in</label><button>Save</button></form>")
                    .append("<form method=\"post\" action=\"").append(base).append("/password\">").append(Html.csrfField(csrf))
                    .append("<label>New password (at least 8 characters)<input type=\"password\" name=\"password\" minlength=\"8\""
                            + " autocomplete=\"new-password\" required></label><button>Reset password</button></form>")
                    .append("<form method=\"post\" action=\"").append(base).append("/delete\">").append(Html.csrfField(csrf))
                    .append("<button>Delete ").append(esc(u.name())).append("</button></form></section>");
        }
        b.append("<h2>New user</h2><form class=\"box\" method=\"post\" action=\"/users\">").append(Html.csrfField(csrf))
                .append("<label>Name<input name=\"name\" required maxlength=\"64\"></label>")
                .append(groupSelect(scope, scope.homeGroup())).append(checkboxes(scope, null))
                .append("<label>Password (at least 8 characters)<input type=\"password\" name=\"password\" minlength=\"8\""
                        + " autocomplete=\"new-password\" required></label><button>Create user</button></form>");
        return b.toString();
    }

    private String groupSelect(UserScope scope, String selected) {
        StringBuilder b = new StringBuilder("<label>Home group<select name=\"homeGroup\">");
        for (Group g : admin.groups(scope)) {
            b.append("<option").append(g.path().equals(selected) ? " selected" : "").append('>').append(esc(g.path()))
                    .append("</option>");
        }
        return b.append("</select></label>").toString();
    }

    /** One checkbox per permission the administrator holds (others cannot be granted). */
    private static String checkboxes(UserScope scope, User user) {
        StringBuilder b = new StringBuilder("<fieldset><legend>Permissions</legend>");
        for (Permission p : Permission.values()) {
            if (scope.has(p)) {
                b.append("<label class=\"check\"><input type=\"checkbox\" name=\"perm.").append(p.name()).append('"')
                        .append(user != null && user.permissions().contains(p) ? " checked" : "").append("> ")
                        .append(p.name()).append("</label>");
            }
        }
        return b.append("</fieldset>").toString();
    }

    private String groups(UserScope scope, String csrf) {
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>Path</th><th>Short name</th><th>Description</th><th></th></tr>");
        for (Group g : admin.groups(scope)) {
            b.append("<tr id=\"group-").append(esc(g.shortName())).append("\"><td>").append(esc(g.path())).append("</td><td>")
                    .append(esc(g.shortName())).append("</td><td>").append(esc(g.description())).append("</td><td>");
            if (!g.path().equals(scope.homeGroup()) && !g.path().equals(Group.LOST_AND_FOUND)) {
                b.append("<form method=\"post\" action=\"/groups/").append(esc(g.shortName())).append("/rename\">")
                        .append(Html.csrfField(csrf)).append("<label>Name<input name=\"name\" required value=\"")
                        .append(esc(g.name())).append("\"></label><label>Description<input name=\"description\" value=\"")
                        .append(esc(g.description())).append("\"></label><button>Rename</button></form>");
                b.append("<form method=\"post\" action=\"/groups/").append(esc(g.shortName())).append("/delete\">")
                        .append(Html.csrfField(csrf)).append("<button>Delete</button></form>");
            }
            b.append("</td></tr>");
        }
        b.append("</table></div><p class=\"muted\">A group is deleted only while nothing uses it: no subgroups, users,"
                + " computers, policies, certificates or CAs. A rename keeps the group's parent; its subgroups and everything"
                + " in them follow, and its SNMPv3 context gets the new short name.</p>");
        return b.append("<h2>New group</h2><form class=\"box\" method=\"post\" action=\"/groups\">").append(Html.csrfField(csrf))
                .append("<label>Path (below a group of yours)<input name=\"path\" required value=\"")
                .append(esc(scope.homeGroup())).append("/\"></label><label>Description<input name=\"description\"></label>")
                .append("<button>Create group</button></form>").toString();
    }

    private static String account(UserScope scope, String csrf, String done) {
        return (done == null ? "" : "<p class=\"ok\">" + esc(done) + "</p>") + "<p>" + esc(scope.user()) + " · home group "
                + esc(scope.homeGroup()) + " · " + esc(scope.permissions().stream().sorted().toList()) + "</p>"
                + "<h2>Change your password</h2><form class=\"box\" method=\"post\" action=\"/account/password\">"
                + Html.csrfField(csrf)
                + "<label>Current password<input type=\"password\" name=\"currentPassword\" autocomplete=\"current-password\" required></label>"
                + "<label>New password (at least 8 characters)<input type=\"password\" name=\"newPassword\" minlength=\"8\" autocomplete=\"new-password\" required></label>"
                + "<label>New password again<input type=\"password\" name=\"repeatPassword\" minlength=\"8\" autocomplete=\"new-password\" required></label>"
                + "<button>Change password</button></form><p><a href=\"/tokens\">Your API tokens</a></p>";
    }
}
