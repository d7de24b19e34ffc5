package org.certwatch.store.internal.pki;

import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.certwatch.api.store.CertificateStoreException;

/** Subject names and host names as users type them. */
public final class Names {
    /** The reference product's "any host": such a certificate carries no subjectAltName for it. */
    public static final String ANY_HOST = "*";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS = Pattern.compile(
            "(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private Names() {
    }

    /** {@code CN=x,O=y} as an X.500 name (UTF-8 strings), or a bare text as the common name. */
    public static X500Name subject(String text) {
        if (text == null || text.isBlank()) {
            throw new CertificateStoreException("the subject is empty");
        }
        String t = text.strip();
        if (!wellFormed(t)) {
            // Bouncy Castle would accept it here and fail only when encoding the certificate
            throw new CertificateStoreException("the subject contains an unpaired UTF-16 surrogate: not valid Unicode");
        }
        try {
            if (!t.contains("=")) {
                return new X500Name(BCStyle.INSTANCE, "CN=" + escape(t));
            }
            return new X500Name(BCStyle.INSTANCE, t);
        } catch (IllegalArgumentException e) {
            throw new CertificateStoreException("the subject '" + text + "' is not an X.500 name ("
                    + e.getMessage() + "); write it like CN=Example CA,O=Example", e);
        }
    }

    /** False for text with an unpaired surrogate (as JSON's "\ud800" escape can make), which has no UTF-8 form. */
    public static boolean wellFormed(String text) {
        return java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(text);
    }

    private static String escape(String value) {
        return value.replaceAll("([,+=\"\\\\<>;#])", "\\\\$1");
    }

    public static boolean isIp(String host) {
        return IPV4.matcher(host).matches() || (host.contains(":") && host.matches("[0-9A-Fa-f:.]+"));
    }

    /** The subjectAltName entry for a host, or null for {@code *}; refuses what is neither name nor address. */
    public static GeneralName generalName(String host) {
        if (host == null || host.isBlank()) {
            throw new CertificateStoreException("the host is empty; give a DNS name, an IP address or *");
        }
        String h = host.strip();
        if (h.equals(ANY_HOST)) {
            return null;
        }
        if (isIp(h)) {
            try {
                return new GeneralName(GeneralName.iPAddress, h);
            } catch (IllegalArgumentException e) {
                throw new CertificateStoreException("'" + host + "' is not a valid IP address");
            }
        }
        if (h.length() > 253 || !DNS.matcher(h).matches()) {
            throw new CertificateStoreException("'" + host
                    + "' is neither a DNS name, an IP address nor * (any host)");
        }
        return new GeneralName(GeneralName.dNSName, h);
    }
}
