package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaStatus;

/**
 * {@code /policies}: the policies in scope, group by group, each with its edit page and a delete button,
 * and a form that makes one. Forms post back here with the CSRF token and redirect (post/redirect/get).
 */
final class PolicyPages {
    private static final List<Role> COMPONENTS = List.of(Role.AGENT, Role.PROXY, Role.MDM);

    private final PolicyAdmin admin;
    private final UserAdmin users;
    private final Views views;

    PolicyPages(PolicyAdmin admin, UserAdmin users, Views views) {
        this.admin = admin;
        this.users = users;
        this.views = views;
    }

    void routes(Router r) {
        r.on("GET", "policies", (ex, p) -> page(ex, "Policies", list(ex) + (PolicyAdmin.canWrite(ex.scope) ? newForm(ex) : "")))
                .on("POST", "policies", (ex, p) -> {
                    ex.auditAs("policy.create", "policy:new");
                    Policy created = admin.create(ex.scope, body(ex.form(), true), ex.remote());
                    ex.redirect("/policies#policy-" + created.id());
                })
                .on("GET", "policies/*", (ex, p) -> {
                    Policy policy = admin.policy(ex.scope, Api.id(p[1], "policy"), ex.remote());
                    page(ex, "Policy " + policy.id(), editForm(ex, policy));
                })
                .on("POST", "policies/*", (ex, p) -> {
                    long id = Api.id(p[1], "policy");
                    ex.auditAs("policy.update", "policy:" + id);
                    admin.update(ex.scope, id, body(ex.form(), false), ex.remote());
                    ex.redirect("/policies#policy-" + id);
                })
                .on("POST", "policies/*/delete", (ex, p) -> {
                    long id = Api.id(p[1], "policy");
                    ex.auditAs("policy.delete", "policy:" + id);
                    admin.delete(ex.scope, id, ex.remote());
                    ex.redirect("/policies");
                });
    }

    private static String csrf(Exchange ex) {
        return ex.session == null ? null : ex.session.csrf();
    }

    private static void page(Exchange ex, String title, String body) {
        ex.html(200, Html.page(title, ex.scope, csrf(ex), body));
    }

    /** The form's fields as the API's body: the radio {@code source} says which of the two ids counts. */
    private static PolicyAdmin.Body body(Map<String, String> f, boolean create) {
        boolean fromCa = "ca".equals(f.get("source"));
        Long certificate = fromCa ? null : Pages.number(f.get("certificateId"), "Certificate");
        Long ca = fromCa ? Pages.number(f.get("issuingCaId"), "Issuing CA") : null;
        List<Long> trusted = new ArrayList<>();
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (e.getKey().startsWith("trust.")) {
                trusted.add(Pages.number(e.getKey().substring("trust.".length()), "Trusted CA"));
            }
        }
        return new PolicyAdmin.Body(create ? f.get("group") : null, create ? f.get("component") : null, certificate, ca,
                trusted, f.getOrDefault("description", ""));
    }

    private String list(Exchange ex) {
        List<Policy> all = admin.policies(ex.scope, ex.remote());
        boolean write = PolicyAdmin.canWrite(ex.scope);
        StringBuilder b = new StringBuilder("<p>A policy hands a component on a group and its subgroups a peer certificate"
                + " — one for every computer, or one issued per computer by a CA — and the CAs it trusts from then on."
                + " A computer follows the policy of its deepest group; of several, the newest.</p>");
        String group = null;
        for (Policy p : all) {
            if (!p.group().equals(group)) {
                if (group != null) {
                    b.append("</table></div>");
                }
                group = p.group();
                b.append("<h2>").append(esc(group)).append("</h2><div class=\"table\"><table><tr><th>Policy</th>"
                        + "<th>Component</th><th>Hands out</th><th>Trusted CAs</th><th>Description</th><th></th></tr>");
            }
            b.append("<tr id=\"policy-").append(p.id()).append("\"><td><a href=\"/policies/").append(p.id()).append("\">")
                    .append(p.id()).append("</a></td><td>").append(p.component().name()).append("</td><td>").append(material(p))
                    .append("</td><td>").append(trusted(p)).append("</td><td>").append(esc(p.description())).append("</td><td>");
            if (write) {
                b.append("<form method=\"post\" action=\"/policies/").append(p.id()).append("/delete\">")
                        .append(Html.csrfField(csrf(ex))).append("<button>Delete</button></form>");
            }
            b.append("</td></tr>");
        }
        if (group != null) {
            b.append("</table></div>");
        } else {
            b.append("<p class=\"muted\">no policies in your groups</p>");
        }
        return b.toString();
    }

    private static String material(Policy p) {
        return p.certificateId() != 0
                ? "certificate <a href=\"/certificates/" + p.certificateId() + "\">" + p.certificateId() + "</a>"
                : "a certificate per computer from CA <a href=\"/cas/" + p.issuingCaId() + "\">" + p.issuingCaId() + "</a>";
    }

    private static String trusted(Policy p) {
        if (p.trustedCaIds().isEmpty()) {
            return "<span class=\"muted\">unchanged</span>";
        }
        StringBuilder b = new StringBuilder();
        for (long id : p.trustedCaIds()) {
            b.append(b.length() == 0 ? "" : ", ").append("<a href=\"/cas/").append(id).append("\">").append(id).append("</a>");
        }
        return b.toString();
    }

    private String newForm(Exchange ex) {
        StringBuilder b = new StringBuilder("<h2>New policy</h2><form class=\"box\" method=\"post\" action=\"/policies\">")
                .append(Html.csrfField(csrf(ex))).append("<label>Group<select name=\"group\">");
        for (Group g : users.groups(ex.scope)) {
            b.append("<option").append(g.path().equals(ex.scope.homeGroup()) ? " selected" : "").append('>')
                    .append(esc(g.path())).append("</option>");
        }
        b.append("</select></label><label>Component<select name=\"component\">");
        for (Role role : COMPONENTS) {
            b.append("<option>").append(role.name()).append("</option>");
        }
        b.append("</select></label>");
        return b.append(materialFields(ex.scope, null)).append("<button>Create policy</button></form>").toString();
    }

    private String editForm(Exchange ex, Policy p) {
        StringBuilder b = new StringBuilder("<p>").append(esc(p.component().name())).append(" on ").append(esc(p.group()))
                .append(" · made ").append(esc(p.createdAt())).append(". A change is delivered again to every computer it"
                        + " applies to, whose replications since the policy count from zero.</p>");
        if (!PolicyAdmin.canWrite(ex.scope)) {
            return b.append("<p>Hands out ").append(material(p)).append("; trusts ").append(trusted(p)).append("</p>").toString();
        }
        return b.append("<form class=\"box\" method=\"post\" action=\"/policies/").append(p.id()).append("\">")
                .append(Html.csrfField(csrf(ex))).append(materialFields(ex.scope, p)).append("<button>Save policy</button></form>")
                .append("<form method=\"post\" action=\"/policies/").append(p.id()).append("/delete\">")
                .append(Html.csrfField(csrf(ex))).append("<button>Delete policy ").append(p.id()).append("</button></form>")
                .toString();
    }

    /** What a policy hands out and trusts, and its description; filled from {@code p} when editing. */
    private String materialFields(UserScope scope, Policy p) {
        boolean fromCa = p != null && p.issuingCaId() != 0;
        List<Views.Row> cas = views.cas(scope, null).stream().filter(r -> r.ca().status() != CaStatus.DELETED).toList();
        StringBuilder b = new StringBuilder("<fieldset><legend>Hands out</legend><label class=\"check\">")
                .append("<input type=\"radio\" name=\"source\" value=\"certificate\"").append(fromCa ? "" : " checked")
                .append("> one certificate for every computer</label><label>Certificate id<input name=\"certificateId\""
                        + " type=\"number\" min=\"1\" value=\"")
                .append(p == null || p.certificateId() == 0 ? "" : p.certificateId()).append("\"></label>")
                .append("<label class=\"check\"><input type=\"radio\" name=\"source\" value=\"ca\"").append(fromCa ? " checked" : "")
                .append("> a certificate per computer, issued by</label><label>Issuing CA<select name=\"issuingCaId\">");
        for (Views.Row r : cas) {
            if (r.ca().hasKey()) {
                b.append("<option value=\"").append(r.ca().id()).append('"')
                        .append(p != null && p.issuingCaId() == r.ca().id() ? " selected" : "").append('>')
                        .append(r.ca().id()).append(" · ").append(esc(r.ca().subject())).append("</option>");
            }
        }
        b.append("</select></label></fieldset><fieldset><legend>CAs to trust (none ticked: the agents keep what they trust)</legend>");
        for (Views.Row r : cas) {
            b.append("<label class=\"check\"><input type=\"checkbox\" name=\"trust.").append(r.ca().id()).append('"')
                    .append(p != null && p.trustedCaIds().contains(r.ca().id()) ? " checked" : "").append("> ")
                    .append(r.ca().id()).append(" · ").append(esc(r.ca().subject())).append("</label>");
        }
        return b.append("</fieldset><label>Description<input name=\"description\" value=\"")
                .append(p == null ? "" : esc(p.description())).append("\"></label>").toString();
    }
}
