package org.certwatch.snmp.internal;

import org.certwatch.commons.files.DurableFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The SNMPv3 user of the first start: from the environment ({@code CERTWATCH_SNMP_USER},
 * {@code …_AUTH_PASSWORD}, {@code …_PRIV_PASSWORD}) or else the same-named lines of
 * {@code initial-credentials}. Once found it is kept in {@code snmp/user.properties} (0600), so a
 * later start without the environment serves the same user.
 */
final class MainUser {
    static final String USER = "CERTWATCH_SNMP_USER";
    static final String AUTH = "CERTWATCH_SNMP_AUTH_PASSWORD";
    static final String PRIV = "CERTWATCH_SNMP_PRIV_PASSWORD";

    private MainUser() {
    }

    static AgentSettings.User resolve(Path data, Map<String, String> env) throws IOException {
        Path kept = data.resolve("snmp").resolve("user.properties");
        if (Files.exists(kept)) {
            Properties p = load(kept);
            return user(p.getProperty(USER), p.getProperty(AUTH), p.getProperty(PRIV), kept.toString());
        }
        Properties source = new Properties();
        Path initial = data.resolve("initial-credentials");
        if (Files.exists(initial)) {
            source.putAll(load(initial));
        }
        for (String name : new String[] {USER, AUTH, PRIV}) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                source.setProperty(name, value);
            }
        }
        String name = source.getProperty(USER, "certwatch");
        AgentSettings.User user = user(name, source.getProperty(AUTH), source.getProperty(PRIV),
                "the environment or " + initial);
        Properties out = new Properties();
        out.setProperty(USER, user.name());
        out.setProperty(AUTH, user.authPassword());
        out.setProperty(PRIV, user.privPassword());
        java.io.StringWriter text = new java.io.StringWriter();
        out.store(text, "certwatch SNMPv3 user (kept from the first start)");
        DurableFiles.write(kept, text.toString().getBytes(StandardCharsets.UTF_8), true);
        return user;
    }

    private static AgentSettings.User user(String name, String auth, String priv, String origin) {
        if (name == null || name.isBlank() || auth == null || priv == null) {
            throw new IllegalStateException("no SNMPv3 user: set " + USER + ", " + AUTH + " and " + PRIV + " (from " + origin + ")");
        }
        if (auth.length() < 8 || priv.length() < 8) {
            throw new IllegalStateException("SNMPv3 passwords from " + origin + " must have at least 8 characters");
        }
        return new AgentSettings.User(name.trim(), auth, priv, null);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
