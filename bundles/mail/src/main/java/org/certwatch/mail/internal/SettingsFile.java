package org.certwatch.mail.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * The SMTP settings as a properties document: {@code $CERTWATCH_DATA/mail/settings.properties}, mode
 * 0600 because it holds the SMTP password, replaced atomically; or the same bytes in a shared backend.
 */
final class SettingsFile {
    static final MailSettings EMPTY = new MailSettings("", 25, MailSecurity.NONE, "", "", false, "", "", "", 30);

    private SettingsFile() {
    }

    static MailSettings read(StoredDocument document) throws IOException {
        Optional<byte[]> saved = document.read();
        return saved.isEmpty() ? EMPTY : parse(document, saved.get());
    }

    static MailSettings parse(StoredDocument document, byte[] saved) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(new ByteArrayInputStream(saved), StandardCharsets.UTF_8));
        try {
            String password = p.getProperty("password", "");
            return new MailSettings(p.getProperty("host", ""), Integer.parseInt(p.getProperty("port", "25")),
                    MailSecurity.valueOf(p.getProperty("security", "NONE")), p.getProperty("user", ""), password,
                    !password.isEmpty(), p.getProperty("sender", ""), p.getProperty("trustedCertificatePem", ""),
                    p.getProperty("linkBase", ""), Integer.parseInt(p.getProperty("timeoutSeconds", "30")));
        } catch (IllegalArgumentException e) {
            throw new IOException(document.name() + ": " + e.getMessage(), e);
        }
    }

    static void write(StoredDocument document, MailSettings s) throws IOException {
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
        document.write(w.toString().getBytes(StandardCharsets.UTF_8));
    }
}
