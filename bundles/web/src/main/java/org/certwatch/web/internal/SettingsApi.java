package org.certwatch.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.certwatch.api.fleet.UserScope;

/**
 * {@code /api/v1/settings/smtp} (+ {@code /test}), {@code /settings/server-certificate},
 * {@code /settings/snmp}: read and change, administrators of the root group only.
 */
final class SettingsApi {
    private final Settings settings;

    SettingsApi(Settings settings) {
        this.settings = settings;
    }

    void handle(Exchange ex, String[] p) {
        UserScope scope = ex.scope;
        String from = ex.remote();
        String what = p.length >= 2 ? p[1] : "";
        if (p.length == 1 && ex.isGet()) {
            settings.requireAdmin(scope, "read", from);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("smtp", Api.PREFIX + "settings/smtp");
            m.put("serverCertificate", Api.PREFIX + "settings/server-certificate");
            m.put("snmp", Api.PREFIX + "settings/snmp");
            ex.json(200, m);
            return;
        }
        boolean put = "PUT".equals(ex.method);
        switch (what) {
            case "smtp" -> {
                if (p.length == 2 && ex.isGet()) {
                    settings.requireAdmin(scope, "read", from);
                    ex.json(200, Settings.json(settings.smtp()));
                } else if (p.length == 2 && put) {
                    ex.auditAs("web.settings.smtp", "settings:smtp");
                    ex.json(200, Settings.json(settings.setSmtp(scope, Json.read(ex.body(), Settings.SmtpBody.class), from)));
                } else if (p.length == 3 && p[2].equals("test") && "POST".equals(ex.method)) {
                    ex.auditAs("web.settings.smtp.test", "settings:smtp");
                    String answer = settings.testMail(scope, Json.read(ex.body(), Settings.TestMailBody.class), from);
                    ex.json(200, Map.of("answer", answer));
                } else {
                    throw Api.notAllowed(ex);
                }
            }
            case "server-certificate" -> {
                if (p.length == 2 && ex.isGet()) {
                    settings.requireAdmin(scope, "read", from);
                    ex.json(200, settings.serverCertificate(scope));
                } else if (p.length == 2 && put) {
                    ex.auditAs("web.settings.server-certificate", "settings:server-certificate");
                    settings.setServerCertificate(scope, Json.read(ex.body(), Settings.ServerCertificateBody.class), from);
                    ex.json(200, settings.serverCertificate(scope));
                } else {
                    throw Api.notAllowed(ex);
                }
            }
            case "snmp" -> {
                if (p.length == 2 && ex.isGet()) {
                    settings.requireAdmin(scope, "read", from);
                    ex.json(200, Map.of("targets", settings.snmpTargets().stream().map(Settings::json).toList()));
                } else if (p.length == 2 && put) {
                    ex.auditAs("web.settings.snmp", "settings:snmp");
                    ex.json(200, Map.of("targets", settings.setSnmpTargets(scope,
                            Json.read(ex.body(), Settings.SnmpBody.class), from).stream().map(Settings::json).toList()));
                } else {
                    throw Api.notAllowed(ex);
                }
            }
            default -> throw Problem.notFound("settings '" + what + "'");
        }
    }
}
