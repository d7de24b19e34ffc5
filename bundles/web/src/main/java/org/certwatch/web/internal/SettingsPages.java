package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.api.snmp.SnmpTarget;
import org.certwatch.api.store.CertificateInfo;

/**
 * {@code /settings}: SMTP (password write-only), the server certificate, SNMP targets. Each section
 * shows what is available: a bundle that is not running is named instead of its form.
 */
final class SettingsPages {
    private final Settings settings;

    SettingsPages(Settings settings) {
        this.settings = settings;
    }

    void routes(Router r) {
        r.before(Router.ANY, "settings/**", (ex, p) -> settings.requireAdmin(ex.scope, "read", ex.remote()))
                .on("GET", "settings", (ex, p) -> saved(ex, null))
                .on("POST", "settings/smtp", (ex, p) -> {
                    Map<String, String> f = form(ex, "smtp", "smtp");
                    Integer port = f.get("port") == null || f.get("port").isBlank() ? null : Pages.number(f.get("port"), "port").intValue();
                    Integer timeout = f.get("timeoutSeconds") == null || f.get("timeoutSeconds").isBlank() ? null
                            : Pages.number(f.get("timeoutSeconds"), "timeoutSeconds").intValue();
                    // an empty password field keeps the stored one; the checkbox removes it
                    String password = f.containsKey("removePassword") ? ""
                            : f.get("password") == null || f.get("password").isEmpty() ? null : f.get("password");
                    settings.setSmtp(ex.scope, new Settings.SmtpBody(f.get("host"), port, f.get("security"), f.get("user"),
                            password, f.get("sender"), f.get("trustedCertificatePem"), f.get("linkBase"), timeout), ex.remote());
                    saved(ex, "SMTP settings saved.");
                })
                .on("POST", "settings/smtp/test", (ex, p) -> {
                    Map<String, String> f = form(ex, "smtp.test", "smtp");
                    saved(ex, "Test e-mail accepted: " + settings.testMail(ex.scope,
                            new Settings.TestMailBody(f.get("recipient")), ex.remote()));
                })
                .on("POST", "settings/server-certificate", (ex, p) -> {
                    Map<String, String> f = form(ex, "server-certificate", "server-certificate");
                    CertificateInfo c = settings.setServerCertificate(ex.scope,
                            new Settings.ServerCertificateBody(Pages.number(f.get("certificateId"), "certificateId")), ex.remote());
                    saved(ex, "The server now presents certificate " + c.id() + " to new connections.");
                })
                .on("POST", "settings/snmp", (ex, p) -> {
                    Map<String, String> f = form(ex, "snmp", "snmp");
                    settings.setSnmpTargets(ex.scope, new Settings.SnmpBody(targets(f.getOrDefault("targets", ""))), ex.remote());
                    saved(ex, "SNMP targets saved and applied.");
                });
    }

    /** A form's fields, once the state change it makes is named for the audit entry of a refusal. */
    private static Map<String, String> form(Exchange ex, String action, String target) {
        ex.auditAs("web.settings." + action, "settings:" + target);
        return ex.form();
    }

    /** The settings page, with what was just done (or null). */
    private void saved(Exchange ex, String done) {
        String csrf = ex.session == null ? null : ex.session.csrf();
        ex.html(200, Html.page("Server settings", ex.scope, csrf, page(ex.scope, csrf, done)));
    }

    /** One target a line: {@code HOST:PORT,v2c|v3,trap|inform[,COMMUNITY|USER]}; no community keeps the stored one. */
    static List<Settings.TargetBody> targets(String text) {
        List<Settings.TargetBody> targets = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(",", -1);
            int colon = parts[0].lastIndexOf(':');
            if (parts.length < 3 || parts.length > 4 || colon <= 0) {
                throw Problem.badRequest("SNMP target '" + line.trim() + "' must be HOST:PORT,v2c|v3,trap|inform[,COMMUNITY|USER]");
            }
            String host = parts[0].substring(0, colon).trim().replace("[", "").replace("]", "");
            int port = Pages.number(parts[0].substring(colon + 1), "port").intValue();
            String version = parts[1].trim().toLowerCase(java.util.Locale.ROOT);
            String type = parts[2].trim().toLowerCase(java.util.Locale.ROOT);
            if (!type.equals("trap") && !type.equals("inform")) {
                throw Problem.badRequest("SNMP target '" + line.trim() + "': the type must be trap or inform");
            }
            String credential = parts.length == 4 && !parts[3].isBlank() ? parts[3].trim() : null;
            targets.add(new Settings.TargetBody(host, port, version, type.equals("inform"),
                    version.equals("v3") ? null : credential, version.equals("v3") ? credential : null));
        }
        return targets;
    }

    private String page(UserScope scope, String csrf, String done) {
        StringBuilder b = new StringBuilder(done == null ? "" : "<p class=\"ok\">" + esc(done) + "</p>");
        b.append("<h2>SMTP</h2>");
        try {
            MailSettings m = settings.smtp();
            b.append("<form class=\"box\" method=\"post\" action=\"/settings/smtp\">").append(Html.csrfField(csrf))
                    .append(input("Host (empty: no e-mail)", "host", m.host()))
                    .append(input("Port", "port", String.valueOf(m.port())))
                    .append(Pages.select("security", "Security", MailSecurity.values(), m.security()))
                    .append(input("User (empty: no AUTH)", "user", m.user()))
                    .append("<label>Password (").append(m.passwordSet() ? "set; empty keeps it" : "not set")
                    .append(")<input type=\"password\" name=\"password\" autocomplete=\"new-password\"></label>")
                    .append("<label class=\"check\"><input type=\"checkbox\" name=\"removePassword\"> remove the password</label>")
                    .append(input("Sender", "sender", m.sender()))
                    .append(input("Link base (the web page's URL in mails)", "linkBase", m.linkBase()))
                    .append(input("Timeout, seconds", "timeoutSeconds", String.valueOf(m.timeoutSeconds())))
                    .append("<label>Further trusted certificates (PEM)<textarea name=\"trustedCertificatePem\" rows=\"4\">")
                    .append(esc(m.trustedCertificatePem())).append("</textarea></label><button>Save</button></form>")
                    .append("<form class=\"box\" method=\"post\" action=\"/settings/smtp/test\">").append(Html.csrfField(csrf))
                    .append("<label>Send a test e-mail to<input name=\"recipient\" type=\"email\" required></label>")
                    .append("<button>Send test e-mail</button></form>");
        } catch (Problem unavailable) {
            b.append("<p class=\"muted\">").append(esc(unavailable.title())).append("</p>");
        }
        b.append("<h2>Server certificate</h2>");
        ApiJson.Certificate current = settings.serverCertificate(scope).current();
        b.append("<p>Now: ").append(current == null ? "none" : "certificate " + esc(current.id()) + " · "
                + esc(current.subject()) + " · until " + esc(current.notAfter())).append("</p>");
        b.append("<form class=\"box\" method=\"post\" action=\"/settings/server-certificate\">").append(Html.csrfField(csrf))
                .append("<label>Switch to (SERVER certificates with a key, valid now)<select name=\"certificateId\">");
        for (Views.Row r : settings.candidates(scope)) {
            b.append("<option value=\"").append(r.id()).append("\"").append(current != null
                    && r.id() == current.id() ? " selected" : "").append('>')
                    .append(r.id()).append(" · ").append(esc(r.subject())).append(" · until ").append(esc(r.notAfter()))
                    .append("</option>");
        }
        b.append("</select></label><button>Switch</button> <span class=\"muted\">new TLS connections (web, agents) use it at once</span></form>");
        b.append("<h2>SNMP notification targets</h2>");
        try {
            List<SnmpTarget> targets = settings.snmpTargets();
            StringBuilder managed = new StringBuilder();
            b.append("<ul>");
            for (SnmpTarget t : targets) {
                String line = (t.host().contains(":") ? "[" + t.host() + "]" : t.host()) + ":" + t.port() + ","
                        + t.version() + "," + (t.inform() ? "inform" : "trap") + (t.version().equals("v3") ? "," + t.credential() : "");
                if (t.managed()) {
                    managed.append(line).append('\n');
                } else {
                    b.append("<li>").append(esc(line)).append(" <span class=\"muted\">(etc/org.certwatch.snmp.cfg)</span></li>");
                }
            }
            b.append("</ul><form class=\"box\" method=\"post\" action=\"/settings/snmp\">").append(Html.csrfField(csrf))
                    .append("<label>Targets, one a line: HOST:PORT,v2c|v3,trap|inform,COMMUNITY|USER (a v2c line without"
                            + " its community keeps the stored one)<textarea name=\"targets\" rows=\"4\">")
                    .append(esc(managed)).append("</textarea></label><button>Save</button></form>");
        } catch (Problem unavailable) {
            b.append("<p class=\"muted\">").append(esc(unavailable.title())).append("</p>");
        }
        return b.toString();
    }

    private static String input(String label, String name, String value) {
        return "<label>" + esc(label) + "<input name=\"" + name + "\" value=\"" + esc(value) + "\"></label>";
    }
}
