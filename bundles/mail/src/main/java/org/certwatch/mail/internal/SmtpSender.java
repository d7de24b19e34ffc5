package org.certwatch.mail.internal;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends one message over SMTP with Jakarta Mail (Angus), embedded in this bundle: the bundle's class
 * loader is made the context class loader while sending, so Jakarta Mail's ServiceLoader lookups
 * (stream provider, SMTP provider, activation) find the embedded implementations.
 */
final class SmtpSender {
    private SmtpSender() {
    }

    /** A sent message: the server's answer to the end of DATA, e.g. {@code 250 2.0.0 Ok: queued}. */
    static String send(MailSettings s, List<String> to, String subject, String text, String html, String messageId)
            throws DeliveryException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SmtpSender.class.getClassLoader());
        try {
            String protocol = s.security() == MailSecurity.TLS ? "smtps" : "smtp";
            Session session = Session.getInstance(properties(s, protocol));
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    // a stable id per notice: receivers drop a redelivery after a crash as a duplicate
                    setHeader("Message-ID", messageId);
                }
            };
            message.setFrom(new InternetAddress(s.sender(), true));
            List<InternetAddress> recipients = new ArrayList<>();
            for (String r : to) {
                recipients.add(new InternetAddress(r, true));
            }
            message.setRecipients(Message.RecipientType.TO, recipients.toArray(new InternetAddress[0]));
            message.setSubject(subject, "UTF-8");
            message.setSentDate(new Date());
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, "UTF-8");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(html, "UTF-8", "html");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(rich);
            message.setContent(alternative);
            message.saveChanges();
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(s.host(), s.port(), s.user().isEmpty() ? null : s.user(),
                        s.user().isEmpty() ? null : s.password());
                transport.sendMessage(message, message.getAllRecipients());
                return ((SMTPTransport) transport).getLastServerResponse().trim();
            }
        } catch (AddressException e) {
            throw new DeliveryException("invalid address: " + e.getMessage(), true, e);
        } catch (MessagingException e) {
            throw classify(s, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static Properties properties(MailSettings s, String protocol) throws DeliveryException {
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        String timeout = Long.toString(s.timeoutSeconds() * 1000L);
        p.put("mail.transport.protocol", protocol);
        p.put(prefix + "host", s.host());
        p.put(prefix + "port", Integer.toString(s.port()));
        p.put(prefix + "connectiontimeout", timeout);
        p.put(prefix + "timeout", timeout);
        p.put(prefix + "writetimeout", timeout);
        p.put(prefix + "from", s.sender());
        p.put(prefix + "auth", Boolean.toString(!s.user().isEmpty()));
        if (s.security() == MailSecurity.STARTTLS) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (s.security() != MailSecurity.NONE) {
            p.put(prefix + "ssl.checkserveridentity", "true");
            p.put(prefix + "ssl.socketFactory", socketFactory(s.trustedCertificatePem()));
        }
        return p;
    }

    /** TLS trusting the JDK's CAs plus the configured PEM certificates. */
    static SSLSocketFactory socketFactory(String pem) throws DeliveryException {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            X509TrustManager defaults = x509(jdk.getTrustManagers());
            Collection<X509Certificate> extra = parse(pem);
            X509TrustManager trust = defaults;
            if (!extra.isEmpty()) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate c : extra) {
                    store.setCertificateEntry("trusted-" + i++, c);
                }
                TrustManagerFactory own = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                own.init(store);
                trust = new EitherTrustManager(x509(own.getTrustManagers()), defaults);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (Exception e) {
            throw new DeliveryException("TLS set-up failed: " + e.getMessage(), false, e);
        }
    }

    static Collection<X509Certificate> parse(String pem) throws CertificateException {
        List<X509Certificate> list = new ArrayList<>();
        if (pem == null || pem.isBlank()) {
            return list;
        }
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        for (Certificate c : f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            list.add((X509Certificate) c);
        }
        if (list.isEmpty()) {
            throw new CertificateException("no PEM certificate found");
        }
        return list;
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    /** Trusts a chain when either the configured certificates or the JDK's CAs do. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }

    /**
     * Turns Jakarta Mail's exception chain into one message that quotes the server's own answer.
     * A 5xx answer to a recipient, and 552/554 to the message, are permanent; authentication, other
     * 5xx/4xx and connection problems are transient (fixing the settings or the server lets the
     * notice go out).
     */
    static DeliveryException classify(MailSettings s, MessagingException e) {
        Set<String> parts = new LinkedHashSet<>();
        boolean permanent = false;
        Exception current = e;
        while (current != null) {
            String m = current.getMessage();
            if (current instanceof SMTPAddressFailedException a) {
                m = a.getMessage().trim();
                permanent |= a.getReturnCode() >= 500;
            } else if (current instanceof SMTPSendFailedException f) {
                m = f.getMessage().trim();
                // 552/554 refuse this message itself; other answers (530 "STARTTLS first", 550 sender
                // not allowed, 4xx) are about the settings or the server and heal when those are fixed
                permanent |= f.getReturnCode() == 552 || f.getReturnCode() == 554;
            } else if (current instanceof AuthenticationFailedException) {
                m = "authentication failed: " + (m == null || m.isBlank() ? "no answer" : m.trim());
            } else if (current instanceof SendFailedException && "Invalid Addresses".equals(m)) {
                m = null;
            }
            if (m != null && !m.isBlank()) {
                parts.add(m.trim());
            }
            Exception next = current instanceof MessagingException me ? me.getNextException() : null;
            if (next == null && current.getCause() instanceof Exception c && c != current) {
                next = c;
            }
            current = next == current ? null : next;
        }
        String where = s.host() + ":" + s.port() + " (" + s.security() + ")";
        return new DeliveryException("SMTP " + where + ": " + String.join("; ", parts), permanent, e);
    }
}
