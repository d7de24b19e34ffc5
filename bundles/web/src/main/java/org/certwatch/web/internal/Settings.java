package org.certwatch.web.internal;

import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.api.notify.MailSettingsService;
import org.certwatch.api.snmp.SnmpSettingsService;
import org.certwatch.api.snmp.SnmpTarget;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;

/**
 * Server settings — SMTP, the server certificate, SNMP notification targets — for the pages and the
 * API. They act on the whole server, so they need the ADMINISTRATION permission with the root group
 * as home group. Secrets (the SMTP password, v2c communities) are write-only: never in an answer.
 * Every change and every refusal is audited with the remote address.
 */
final class Settings {
    /** SMTP settings; fields left out (null) keep their value; password "" removes it. */
    record SmtpBody(String host, Integer port, String security, String user, String password, String sender,
            String trustedCertificatePem, String linkBase, Integer timeoutSeconds) {
    }

    record TestMailBody(String recipient) {
    }

    record ServerCertificateBody(Long certificateId) {
    }

    /** {@code community} for v2c (null: keep the stored one of this host and port), {@code user} for v3. */
    record TargetBody(String host, Integer port, String version, Boolean inform, String community, String user) {
    }

    record SnmpBody(List<TargetBody> targets) {
    }

    private final Services services;
    private final Views views;
    private final Actions actions;

    Settings(Services services, Views views, Actions actions) {
        this.services = services;
        this.views = views;
        this.actions = actions;
    }

    /** Refuses (and audits) anyone but an administrator of the root group. */
    void requireAdmin(UserScope scope, String what, String from) {
        if (!scope.has(Permission.ADMINISTRATION) || !Group.ROOT.equals(scope.homeGroup())) {
            actions.audit(scope, "web.settings." + what, "settings", "refused: not a server administrator", from);
            throw Problem.forbidden("server settings need the ADMINISTRATION permission and the home group " + Group.ROOT)
                    .audited();
        }
    }

    private MailSettingsService mail() {
        return services.mailSettings().orElseThrow(() -> Problem.unavailable(
                "SMTP settings are not available: the mail bundle is not running"));
    }

    private SnmpSettingsService snmp() {
        return services.snmpSettings().orElseThrow(() -> Problem.unavailable(
                "SNMP settings are not available: the snmp bundle is not running"));
    }

    /** The settings as the mail bundle answers them: its password is always null there. */
    MailSettings smtp() {
        return mail().get();
    }

    MailSettings setSmtp(UserScope scope, SmtpBody b, String from) {
        requireAdmin(scope, "smtp", from);
        MailSettings old = mail().get();
        MailSecurity security = b.security() == null ? old.security() : Actions.parse(MailSecurity.class, b.security(), "security");
        MailSettings next = new MailSettings(pick(b.host(), old.host()), b.port() == null ? old.port() : b.port(), security,
                pick(b.user(), old.user()), b.password(), b.password() == null ? old.passwordSet() : !b.password().isEmpty(),
                pick(b.sender(), old.sender()), pick(b.trustedCertificatePem(), old.trustedCertificatePem()),
                pick(b.linkBase(), old.linkBase()), b.timeoutSeconds() == null ? old.timeoutSeconds() : b.timeoutSeconds());
        try {
            mail().set(next, scope.user());
        } catch (IllegalArgumentException e) {
            actions.audit(scope, "web.settings.smtp", "settings:smtp", "refused: " + e.getMessage(), from);
            throw Problem.badRequest("SMTP settings not saved: " + e.getMessage()).audited();
        }
        // the mail bundle audits the change (settings.mail)
        return smtp();
    }

    String testMail(UserScope scope, TestMailBody b, String from) {
        requireAdmin(scope, "smtp", from);
        if (b.recipient() == null || b.recipient().isBlank()) {
            throw Problem.badRequest("field 'recipient' is required: the address to send the test e-mail to");
        }
        try {
            String answer = mail().sendTest(b.recipient().trim());
            actions.audit(scope, "web.settings.smtp.test", "mail:" + b.recipient().trim(), "ok: " + answer, from);
            return answer;
        } catch (DeliveryException e) {
            actions.audit(scope, "web.settings.smtp.test", "mail:" + b.recipient().trim(), "failed: " + e.getMessage(), from);
            throw new Problem(502, "test e-mail not sent: " + e.getMessage()).audited();
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("test e-mail not sent: " + e.getMessage());
        }
    }

    /** The server certificate now (null: none yet) and the ones it could switch to. */
    record ServerCertificate(ApiJson.Certificate current, List<ApiJson.Certificate> candidates) {
    }

    /** The server certificate now and the ones it could switch to: SERVER, key held, valid now, unrevoked. */
    ServerCertificate serverCertificate(UserScope scope) {
        return new ServerCertificate(services.store().serverCertificate()
                .map(c -> ApiJson.certificate(views.row(c, views.now()))).orElse(null),
                candidates(scope).stream().map(ApiJson::certificate).toList());
    }

    List<Views.Row> candidates(UserScope scope) {
        List<Views.Row> rows = new ArrayList<>();
        for (CertificateInfo c : services.store().certificates(CertificateQuery.all().withRole(Role.SERVER))) {
            Views.Row r = views.row(c, views.now());
            if (c.hasKey() && !c.revoked() && scope.seesCertificatesOf(c.homeGroup())
                    && (r.status() == ExpiryStatus.VALID || r.status() == ExpiryStatus.EXPIRING)) {
                rows.add(r);
            }
        }
        return rows;
    }

    CertificateInfo setServerCertificate(UserScope scope, ServerCertificateBody b, String from) {
        requireAdmin(scope, "server-certificate", from);
        if (b.certificateId() == null) {
            throw Problem.badRequest("field 'certificateId' is required: the id of an issued SERVER certificate");
        }
        views.certificate(scope, b.certificateId()); // 404 when unknown
        try {
            CertificateInfo c = services.store().setServerCertificate(b.certificateId(), scope.user());
            views.invalidate();
            actions.audit(scope, "web.settings.server-certificate", "certificate:" + c.id(), "ok: sha256 " + c.fingerprint(), from);
            return c;
        } catch (CertificateStoreException | IllegalArgumentException e) {
            actions.audit(scope, "web.settings.server-certificate", "certificate:" + b.certificateId(),
                    "refused: " + e.getMessage(), from);
            throw Problem.badRequest("server certificate not switched: " + e.getMessage()).audited();
        }
    }

    List<SnmpTarget> snmpTargets() {
        return snmp().targets();
    }

    List<SnmpTarget> setSnmpTargets(UserScope scope, SnmpBody b, String from) {
        requireAdmin(scope, "snmp", from);
        if (b.targets() == null) {
            throw Problem.badRequest("field 'targets' is required: the list of managed targets (may be empty)");
        }
        List<SnmpTarget> targets = new ArrayList<>();
        for (TargetBody t : b.targets()) {
            if (t == null || t.host() == null || t.port() == null || t.version() == null) {
                throw Problem.badRequest("every target needs 'host', 'port' and 'version' (v2c or v3)");
            }
            String version = t.version().trim().toLowerCase(java.util.Locale.ROOT);
            targets.add(new SnmpTarget(t.host().trim(), t.port(), version, Boolean.TRUE.equals(t.inform()),
                    version.equals("v3") ? t.user() : t.community(), true));
        }
        try {
            snmp().setTargets(targets, scope.user());
        } catch (IllegalArgumentException e) {
            actions.audit(scope, "web.settings.snmp", "settings:snmp", "refused: " + e.getMessage(), from);
            throw Problem.badRequest("SNMP targets not saved: " + e.getMessage()).audited();
        }
        actions.audit(scope, "web.settings.snmp", "settings:snmp", "ok: " + targets.size() + " managed target(s)", from);
        return snmpTargets();
    }

    /** The mail settings as the API shows them: the password never, only whether one is set. */
    record Mail(String host, int port, String security, String user, boolean passwordSet, String sender,
            String trustedCertificatePem, String linkBase, int timeoutSeconds) {
    }

    /** An SNMP target as the API shows it: a v3 user name, never a v2c community. */
    record Target(String host, int port, String version, boolean inform, String user, boolean managed) {
    }

    static Mail json(MailSettings s) {
        return new Mail(s.host(), s.port(), s.security() == null ? null : s.security().name(), s.user(), s.passwordSet(),
                s.sender(), s.trustedCertificatePem(), s.linkBase(), s.timeoutSeconds());
    }

    static Target json(SnmpTarget t) {
        return new Target(t.host(), t.port(), t.version(), t.inform(), t.version().equals("v3") ? t.credential() : null,
                t.managed());
    }

    private static String pick(String value, String old) {
        return value == null ? old : value.trim();
    }
}
