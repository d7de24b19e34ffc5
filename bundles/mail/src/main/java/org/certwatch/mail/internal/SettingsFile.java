package org.certwatch.mail.internal;

import org.certwatch.commons.files.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;

/**
 * The SMTP settings in {@code $CERTWATCH_DATA/mail/settings.properties}, mode 0600 because it holds
 * the SMTP password; replaced atomically (temporary file, fsync, rename).
 */
final class SettingsFile {
    static final MailSettings EMPTY = new MailSettings("", 25, MailSecurity.NONE, "", "", false, "", "", "", 30);

    private SettingsFile() {
    }

    static MailSettings read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        try {
            String password = p.getProperty("password", "");
            return new MailSettings(p.getProperty("host", ""), Integer.parseInt(p.getProperty("port", "25")),
                    MailSecurity.valueOf(p.getProperty("security", "NONE")), p.getProperty("user", ""), password,
                    !password.isEmpty(), p.getProperty("sender", ""), p.getProperty("trustedCertificatePem", ""),
                    p.getProperty("linkBase", ""), Integer.parseInt(p.getProperty("timeoutSeconds", "30")));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static void write(Path file, MailSettings s) throws IOException {
        Properties p = new Properties();
        p.setProperty("host", s.host());
        p.setProperty("port", Integer.toString(s.port()));
        p.setProperty("security", s.security().name());
        p.setProperty("user", s.user());
        p.setProperty("password", s.password() == null ? "" : s.password());
        p.setProperty("sender", s.sender());
        p.setProperty("trustedCertificatePem", s.trustedCertificatePem());
        p.setProperty("linkBase", s.linkBase());
        p.setProperty("timeoutSeconds", Integer.toString(s.timeoutSeconds()));
        StringWriter w = new StringWriter();
        p.store(w, "certwatch SMTP settings (holds the SMTP password: keep 0600)");
        DurableFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8), true);
    }
}
