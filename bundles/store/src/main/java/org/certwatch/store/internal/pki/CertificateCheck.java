package org.certwatch.store.internal.pki;

import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.SubjectAltName;

/**
 * A certificate the store is about to keep, read whole from its DER once (one parse; its key decoded). Bouncy Castle decodes names and
 * extensions lazily: a certificate that parsed can still throw when the store reads its subject or key. Everything
 * the store uses is read here, so that damage is reported as damage, and not as an unexpected failure later.
 */
public final class CertificateCheck {
    /** What the store keeps of a certificate: its DER as given, its parsed form, its key and names. */
    public record Checked(byte[] der, X509CertificateHolder holder, PublicKey publicKey,
            List<SubjectAltName> subjectAltNames) {
    }

    @FunctionalInterface
    private interface Part<T> {
        T read() throws Exception;
    }

    private final Provider provider;

    public CertificateCheck(Provider provider) {
        this.provider = provider;
    }

    /** @param what names the input in a refusal, e.g. "the import" */
    public Checked read(byte[] der, String what) {
        X509CertificateHolder c = part(what, "its encoding", () -> new X509CertificateHolder(der));
        // The signature is checked over the DER re-encoding, so BER leniencies (a TRUE that is not 0xFF) would let
        // bytes nobody signed in: only the canonical DER encoding is accepted.
        if (!Arrays.equals(der, part(what, "its encoding", () -> c.toASN1Structure().getEncoded(ASN1Encoding.DER)))) {
            throw new CertificateStoreException(what + " holds a damaged certificate: it is not DER-encoded (a"
                    + " signed certificate is), so its bytes are not the ones its issuer signed");
        }
        part(what, "its subject name", () -> c.getSubject().toString());
        part(what, "its issuer name", () -> c.getIssuer().toString());
        part(what, "its validity dates", () -> List.of(c.getNotBefore(), c.getNotAfter()));
        if (c.getExtensions() != null) {
            for (ASN1ObjectIdentifier oid : c.getExtensions().getExtensionOIDs()) {
                part(what, "its extension " + oid.getId(), () -> c.getExtension(oid).getParsedValue());
            }
        }
        PublicKey key = part(what, "its public key", () -> new JcaPEMKeyConverter().setProvider(provider)
                .getPublicKey(c.getSubjectPublicKeyInfo()));
        List<SubjectAltName> names = part(what, "its subjectAltName", () -> SubjectAltNames.of(c));
        return new Checked(der, c, key, names);
    }

    /**
     * {@link #read}, and the JDK's X.509 form read too, from the same bytes: for a CA, which TLS trusts as that
     * form (a monitored certificate is never handed to TLS, so it is parsed once).
     */
    public Checked readForTrust(byte[] der, String what) {
        Checked checked = read(der, what);
        X509Certificate x = part(what, "its X.509 structure", () -> (X509Certificate) CertificateFactory
                .getInstance("X.509", provider).generateCertificate(new ByteArrayInputStream(der)));
        part(what, "its public key", x::getPublicKey);
        part(what, "its subjectAltName", x::getSubjectAlternativeNames);
        return checked;
    }

    /** Reads one part of a certificate; damage is reported by the part's name, not by the parser's words. */
    private static <T> T part(String what, String name, Part<T> part) {
        try {
            return part.read();
        } catch (Exception e) {
            throw new CertificateStoreException(what + " holds a damaged certificate: " + name
                    + " cannot be decoded", e);
        }
    }
}
