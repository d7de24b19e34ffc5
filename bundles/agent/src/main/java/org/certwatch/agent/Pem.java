package org.certwatch.agent;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** PEM certificates in and out, and SHA-256 fingerprints as the server writes them. */
final class Pem {
    private Pem() {
    }

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    /**
     * The certificates of a PEM text. Each block is decoded here and parsed from DER: the JDK's own PEM
     * reading goes a byte at a time (a third of the simulated agent's CPU per key delivery), and for DER it
     * looks in its cache of parsed certificates first, so CAs already seen are not parsed again. Text with
     * no PEM block (DER, PKCS#7) is left to the JDK's factory as before.
     */
    static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        int begin = pem.indexOf(BEGIN);
        if (begin < 0) {
            for (Object c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        }
        Base64.Decoder b64 = Base64.getMimeDecoder();
        while (begin >= 0) {
            int end = pem.indexOf(END, begin);
            if (end < 0) {
                throw new java.security.cert.CertificateException("a PEM certificate block has no END line");
            }
            byte[] der;
            try {
                der = b64.decode(pem.substring(begin + BEGIN.length(), end));
            } catch (IllegalArgumentException e) {
                throw new java.security.cert.CertificateException("a PEM certificate block is not base64: " + e.getMessage(), e);
            }
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            begin = pem.indexOf(BEGIN, end + END.length());
        }
        return out;
    }

    static String encode(List<X509Certificate> certificates) throws GeneralSecurityException {
        StringBuilder out = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certificates) {
            out.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }

    static String encodeKey(java.security.PrivateKey key) {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    static java.security.PrivateKey decodeKey(String pem, String algorithm) throws GeneralSecurityException {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("no PKCS#8 private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        return java.security.KeyFactory.getInstance(algorithm).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
