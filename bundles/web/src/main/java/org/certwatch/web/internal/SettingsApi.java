package org.certwatch.web.internal;

import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/settings/smtp} (+ {@code /test}), {@code /settings/server-certificate},
 * {@code /settings/snmp}: read and change, administrators of the root group only.
 */
final class SettingsApi {
    private final Settings settings;

    SettingsApi(Settings settings) {
        this.settings = settings;
    }

    /** Where each part of the settings is read and changed. */
    record Index(String smtp, String serverCertificate, String snmp) {
    }

    /** The SNMP targets, as read and as saved. */
    record Targets(List<Settings.Target> targets) {
    }

    void routes(Router r) {
        r.on("GET", "settings", (ex, p) -> {
            settings.requireAdmin(ex.scope, "read", ex.remote());
            ex.json(200, new Index(Api.PREFIX + "settings/smtp", Api.PREFIX + "settings/server-certificate",
                    Api.PREFIX + "settings/snmp"));
        })
                .on("GET", "settings/smtp", (ex, p) -> {
                    settings.requireAdmin(ex.scope, "read", ex.remote());
                    ex.json(200, Settings.json(settings.smtp()));
                })
                .on("PUT", "settings/smtp", (ex, p) -> {
                    ex.auditAs("web.settings.smtp", "settings:smtp");
                    ex.json(200, Settings.json(settings.setSmtp(ex.scope, Json.read(ex.body(), Settings.SmtpBody.class),
                            ex.remote())));
                })
                .on("POST", "settings/smtp/test", (ex, p) -> {
                    ex.auditAs("web.settings.smtp.test", "settings:smtp");
                    String answer = settings.testMail(ex.scope, Json.read(ex.body(), Settings.TestMailBody.class), ex.remote());
                    ex.json(200, Map.of("answer", answer));
                })
                .otherwise("settings/smtp/**", (ex, p) -> Api.notAllowed(ex))
                .on("GET", "settings/server-certificate", (ex, p) -> {
                    settings.requireAdmin(ex.scope, "read", ex.remote());
                    ex.json(200, settings.serverCertificate(ex.scope));
                })
                .on("PUT", "settings/server-certificate", (ex, p) -> {
                    ex.auditAs("web.settings.server-certificate", "settings:server-certificate");
                    settings.setServerCertificate(ex.scope, Json.read(ex.body(), Settings.ServerCertificateBody.class),
                            ex.remote());
                    ex.json(200, settings.serverCertificate(ex.scope));
                })
                .otherwise("settings/server-certificate/**", (ex, p) -> Api.notAllowed(ex))
                .on("GET", "settings/snmp", (ex, p) -> {
                    settings.requireAdmin(ex.scope, "read", ex.remote());
                    ex.json(200, new Targets(settings.snmpTargets().stream().map(Settings::json).toList()));
                })
                .on("PUT", "settings/snmp", (ex, p) -> {
                    ex.auditAs("web.settings.snmp", "settings:snmp");
                    ex.json(200, new Targets(settings.setSnmpTargets(ex.scope, Json.read(ex.body(), Settings.SnmpBody.class),
                            ex.remote()).stream().map(Settings::json).toList()));
                })
                .otherwise("settings/snmp/**", (ex, p) -> Api.notAllowed(ex))
                .otherwise("settings/**", (ex, p) -> Problem.notFound("settings '" + (p.length >= 2 ? p[1] : "") + "'"));
    }
}
