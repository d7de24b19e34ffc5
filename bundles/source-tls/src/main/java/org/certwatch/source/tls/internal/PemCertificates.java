package org.certwatch.source.tls.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** An endpoint's extra CA: PEM text into certificates. */
final class PemCertificates {
    private PemCertificates() {
    }

    /** @throws IllegalArgumentException when the text holds no certificate or one that does not parse */
    static List<X509Certificate> parse(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("the extra CA holds no PEM certificate");
            }
            return List.copyOf(out);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the extra CA is not PEM certificates: " + e.getMessage());
        }
    }

    static X509Certificate der(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
