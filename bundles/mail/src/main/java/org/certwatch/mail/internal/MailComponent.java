package org.certwatch.mail.internal;

import org.certwatch.commons.text.HtmlText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.api.notify.MailSettingsService;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code mail} notification channel and the SMTP settings it uses
 * ({@code $CERTWATCH_DATA/mail/settings.properties}, 0600, or a shared backend's document, from the
 * {@link MailBackend}). Settings apply to the next message; no connection is kept open, so nothing
 * needs restarting, and another server's change is taken the same way.
 */
@Component(service = {NotificationChannel.class, MailSettingsService.class},
        property = NotificationChannel.NAME_PROPERTY + "=" + NotificationChannel.MAIL)
public final class MailComponent implements NotificationChannel, MailSettingsService {
    private static final Logger LOG = Logger.getLogger("org.certwatch.mail");
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    /** A mail names this many locations at most (a certificate copied to many servers stays readable). */
    static final int USED_AT_LIMIT = 10;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");

    private final StoredDocument file;
    private volatile MailSettings settings;
    private Subscription watching = () -> { };
    private volatile AuditLog audit;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LocationRegistry locations;

    @Activate
    public MailComponent(@Reference MailBackend backend) {
        this(backend.settings());
    }

    MailComponent(Path file) {
        this(new FileDocument(file, true));
    }

    MailComponent(StoredDocument file) {
        this.file = file;
        MailSettings loaded;
        try {
            loaded = SettingsFile.read(file);
        } catch (IOException e) {
            // keep the file as it is for the admin to fix; mail waits in the outbox meanwhile
            LOG.log(Level.SEVERE, "SMTP settings unreadable, mail is off until they are fixed: " + e.getMessage());
            loaded = SettingsFile.EMPTY;
        }
        this.settings = loaded;
    }

    @Activate
    void activate() {
        watching = file.watch(this::followed);
    }

    @Deactivate
    void deactivate() {
        watching.close();
    }

    /** Takes the settings another server saved. */
    synchronized void followed() {
        try {
            file.changed().map(saved -> {
                try {
                    return SettingsFile.parse(file, saved);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).ifPresent(s -> {
                settings = s;
                LOG.info("SMTP settings changed on another server: " + s.host() + ":" + s.port() + " " + s.security());
            });
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "SMTP settings from " + file.name() + " not taken: " + e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAudit(AuditLog log) {
        this.audit = log;
    }

    void unbindAudit(AuditLog log) {
        if (this.audit == log) {
            this.audit = null;
        }
    }

    @Override
    public String name() {
        return MAIL;
    }

    @Override
    public boolean wants(Notice notice) {
        return !notice.emailRecipients().isEmpty();
    }

    @Override
    public void deliver(Notice notice) throws DeliveryException {
        MailSettings s = settings;
        if (s.host().isEmpty()) {
            throw new DeliveryException("SMTP is not configured (set host, port and sender in the mail settings)",
                    false);
        }
        List<String> usedAt = usedAt(locations, notice);
        String answer = SmtpSender.send(s, notice.emailRecipients(), MailText.subject(notice),
                MailText.plain(notice, s.linkBase(), usedAt), MailText.html(notice, s.linkBase(), usedAt),
                messageId(notice.id()));
        LOG.info("notice " + notice.id() + " mailed to " + notice.emailRecipients() + ": " + answer);
    }

    /** The watched locations holding a monitored certificate now (at most {@link #USED_AT_LIMIT}). */
    static List<String> usedAt(LocationRegistry registry, Notice notice) {
        if (registry == null || notice.role() != Role.MONITORED || notice.objectId() == 0) {
            return List.of();
        }
        return registry.locations(new LocationQuery(List.of(), null, null, notice.objectId(), 0, 0)).stream()
                .filter(l -> l.state() == LocationState.OK || l.state() == LocationState.FAILING)
                .limit(USED_AT_LIMIT)
                .map(MailComponent::where)
                .toList();
    }

    private static String where(Location l) {
        return l.ref().address() + " (" + l.ref().source() + ")";
    }

    /** RFC 5322 msg-id from the notice id: the same on every redelivery. */
    static String messageId(String noticeId) {
        return "<" + noticeId.replaceAll("[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]", "_") + "@certwatch>";
    }

    @Override
    public MailSettings get() {
        MailSettings s = settings;
        return new MailSettings(s.host(), s.port(), s.security(), s.user(), null, s.passwordSet(), s.sender(),
                s.trustedCertificatePem(), s.linkBase(), s.timeoutSeconds());
    }

    @Override
    public void set(MailSettings requested, String actor) {
        file.exclusively(() -> {
            setAlone(requested, actor);
            return null;
        });
    }

    private synchronized void setAlone(MailSettings requested, String actor) {
        followed(); // the password kept when none is given is the latest saved one
        MailSettings old = settings;
        String password = requested.password() == null ? old.password() : requested.password();
        MailSettings s = new MailSettings(trim(requested.host()), requested.port(),
                requested.security() == null ? MailSecurity.NONE : requested.security(), trim(requested.user()),
                password == null ? "" : password, password != null && !password.isEmpty(), trim(requested.sender()),
                requested.trustedCertificatePem() == null ? "" : requested.trustedCertificatePem().trim(),
                trim(requested.linkBase()), requested.timeoutSeconds());
        validate(s);
        try {
            SettingsFile.write(file, s);
        } catch (IOException e) {
            throw new IllegalStateException("SMTP settings not saved to " + file.name() + ": " + e.getMessage(), e);
        }
        settings = s;
        AuditLog log = audit;
        if (log != null) {
            log.append(new AuditEntry(Instant.now(), actor, "settings.mail", "mail", "ok: host " + s.host() + ":"
                    + s.port() + " " + s.security() + (s.passwordSet() ? ", password set" : ""), ""));
        }
        LOG.info("SMTP settings changed by " + actor + ": " + s.host() + ":" + s.port() + " " + s.security());
    }

    static void validate(MailSettings s) {
        if (!s.host().isEmpty() && !HOST.matcher(s.host()).matches()) {
            throw new IllegalArgumentException("host: not a host name or address: \"" + s.host() + "\"");
        }
        if (s.port() < 1 || s.port() > 65535) {
            throw new IllegalArgumentException("port: 1..65535, got " + s.port());
        }
        if (!s.host().isEmpty() && !ADDRESS.matcher(s.sender()).matches()) {
            throw new IllegalArgumentException("sender: a valid e-mail address is required, got \"" + s.sender() + "\"");
        }
        if (s.timeoutSeconds() < 1 || s.timeoutSeconds() > 300) {
            throw new IllegalArgumentException("timeoutSeconds: 1..300, got " + s.timeoutSeconds());
        }
        if (!s.linkBase().isEmpty() && !s.linkBase().matches("https?://\\S+")) {
            throw new IllegalArgumentException("linkBase: an http(s) URL, got \"" + s.linkBase() + "\"");
        }
        if (s.user().isEmpty() != (s.password() == null || s.password().isEmpty()) && !s.user().isEmpty()) {
            throw new IllegalArgumentException("password: required when a user is set");
        }
        try {
            SmtpSender.parse(s.trustedCertificatePem());
        } catch (Exception e) {
            throw new IllegalArgumentException("trustedCertificatePem: " + e.getMessage());
        }
    }

    @Override
    public String sendTest(String recipient) throws DeliveryException {
        String to = trim(recipient);
        if (!ADDRESS.matcher(to).matches()) {
            throw new DeliveryException("invalid recipient address \"" + recipient + "\"", true);
        }
        MailSettings s = settings;
        if (s.host().isEmpty()) {
            throw new DeliveryException("SMTP is not configured (set host, port and sender in the mail settings)",
                    true);
        }
        String id = "test." + UUID.randomUUID();
        String text = "This is a test e-mail from certwatch. The SMTP settings work.\n";
        return SmtpSender.send(s, List.of(to), "[certwatch] test e-mail", text,
                "<!DOCTYPE html><html><body><p>" + HtmlText.escape(text) + "</p></body></html>", messageId(id));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
