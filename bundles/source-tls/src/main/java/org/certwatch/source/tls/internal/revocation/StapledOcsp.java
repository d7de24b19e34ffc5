package org.certwatch.source.tls.internal.revocation;

import java.io.IOException;
import java.security.Provider;
import java.security.cert.CRLReason;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What one stapled OCSP response (RFC 6960) says of one certificate, once it is shown to be genuine: signed by the
 * certificate's issuer or by a responder the issuer delegated to (id-kp-OCSPSigning), about this certificate
 * (issuer name and key hashes, serial), and current (thisUpdate not ahead, nextUpdate not past).
 */
final class StapledOcsp {
    /** Clocks of server, responder and certwatch disagree a little. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final Provider provider;

    StapledOcsp(Provider provider) {
        this.provider = provider;
    }

    /** A REVOKED or REVOCATION_UNKNOWN text, or empty when the response says the certificate is good. */
    Optional<Verdict> check(byte[] encoded, X509Certificate certificate, X509Certificate issuer, Instant now) {
        try {
            OCSPResp response = new OCSPResp(encoded);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                return unknown("the responder's status is " + response.getStatus());
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return unknown("it is not a basic OCSP response");
            }
            X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            if (!signedByIssuerOrDelegate(basic, issuerHolder, now)) {
                return unknown("it is signed neither by the issuer nor by a responder the issuer delegated to");
            }
            DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().setProvider(provider).build();
            for (SingleResp single : basic.getResponses()) {
                if (single.getCertID().getSerialNumber().equals(certificate.getSerialNumber())
                        && single.getCertID().matchesIssuer(issuerHolder, digests)) {
                    return about(single, now);
                }
            }
            return unknown("it is about another certificate");
        } catch (IOException | OCSPException | CertificateEncodingException | OperatorCreationException
                | RuntimeException e) {
            return unknown("it cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Optional<Verdict> about(SingleResp single, Instant now) {
        if (single.getThisUpdate().toInstant().isAfter(now.plus(SKEW))) {
            return unknown("it is dated in the future (" + single.getThisUpdate().toInstant() + ")");
        }
        Date next = single.getNextUpdate();
        if (next != null && next.toInstant().isBefore(now.minus(SKEW))) {
            return unknown("it is out of date (next update " + next.toInstant() + ")");
        }
        Object status = single.getCertStatus();
        if (status instanceof RevokedStatus revoked) {
            // RFC 5280's reason codes are CRLReason's ordinals
            int code = revoked.hasRevocationReason() ? revoked.getRevocationReason() : -1;
            String reason = FindingTexts.reason(code >= 0 && code < CRLReason.values().length
                    ? CRLReason.values()[code] : null);
            return Optional.of(new Verdict(true, "revoked on " + revoked.getRevocationTime().toInstant() + reason
                    + " (stapled OCSP response)"));
        }
        if (status instanceof UnknownStatus) {
            return unknown("the responder does not know the certificate");
        }
        return Optional.empty();
    }

    private boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509CertificateHolder issuer, Instant now)
            throws OperatorCreationException, OCSPException {
        if (basic.isSignatureValid(verifier(issuer))) {
            return true;
        }
        for (X509CertificateHolder responder : basic.getCerts()) {
            if (isDelegate(responder, issuer, now) && basic.isSignatureValid(verifier(responder))) {
                return true;
            }
        }
        return false;
    }

    private boolean isDelegate(X509CertificateHolder responder, X509CertificateHolder issuer, Instant now) {
        try {
            ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(responder.getExtensions());
            return usage != null && usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)
                    && responder.getIssuer().equals(issuer.getSubject())
                    && responder.isValidOn(Date.from(now))
                    && responder.isSignatureValid(verifier(issuer));
        } catch (OperatorCreationException | CertException | RuntimeException e) {
            return false; // a responder certificate we cannot check is no delegate
        }
    }

    private ContentVerifierProvider verifier(X509CertificateHolder signer) throws OperatorCreationException {
        try {
            return new JcaContentVerifierProviderBuilder().setProvider(provider).build(signer);
        } catch (CertificateException e) {
            throw new OperatorCreationException(e.getMessage(), e);
        }
    }

    private static Optional<Verdict> unknown(String why) {
        return Optional.of(new Verdict(false, "stapled OCSP response not usable: " + why));
    }

    /** @param revoked true: the certificate is revoked; false: its revocation is unknown, {@code text} says why */
    record Verdict(boolean revoked, String text) {
    }
}
