package org.certwatch.source.tls.internal.revocation;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** A CA made in the test with Bouncy Castle: certificates it issues, its CRLs and OCSP responses. */
final class TestPki {
    final KeyPair key;
    final X509Certificate certificate;
    private final Instant now;
    private long serial = 100;

    TestPki(String name, Instant now) throws Exception {
        this.now = now;
        this.key = ecKey();
        X500Name subject = new X500Name("CN=" + name);
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), subject, key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        this.certificate = convert(builder.build(signer(key)));
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    /** A leaf for {@code cn}, naming {@code crlUrl} as its distribution point when not null. */
    X509Certificate issue(String cn, String crlUrl) throws Exception {
        var builder = builder(cn, ecKey());
        if (crlUrl != null) {
            GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
            builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(names), null, null)}));
        }
        return convert(builder.build(signer(key)));
    }

    /** A delegated OCSP responder's certificate (id-kp-OCSPSigning when {@code withEku}). */
    X509Certificate responder(KeyPair responderKey, boolean withEku) throws Exception {
        var builder = builder("responder", responderKey);
        if (withEku) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
        }
        return convert(builder.build(signer(key)));
    }

    private JcaX509v3CertificateBuilder builder(String cn, KeyPair subjectKey) throws Exception {
        return new JcaX509v3CertificateBuilder(new JcaX509CertificateHolder(certificate).getSubject(),
                BigInteger.valueOf(serial++), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(90))), new X500Name("CN=" + cn), subjectKey.getPublic());
    }

    /** A CRL of this CA valid from now until {@code nextUpdate}, listing {@code revoked} as key compromises. */
    X509CRL crl(Instant nextUpdate, X509Certificate... revoked) throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new JcaX509CertificateHolder(certificate).getSubject(),
                Date.from(now));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate r : revoked) {
            builder.addCRLEntry(r.getSerialNumber(), Date.from(now.minus(Duration.ofHours(2))), CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
    }

    /**
     * An OCSP response about {@code subject} ({@code status} null: good), signed by {@code signerKey} with
     * {@code signerCertificate} included when not null.
     */
    byte[] ocsp(X509Certificate subject, CertificateStatus status, Instant thisUpdate, Instant nextUpdate,
            KeyPair signerKey, X509Certificate signerCertificate) throws Exception {
        var digests = new JcaDigestCalculatorProviderBuilder().build();
        CertificateID id = new CertificateID(digests.get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(certificate), subject.getSerialNumber());
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                new RespID(new JcaX509CertificateHolder(signerCertificate == null ? certificate : signerCertificate)
                        .getSubject()));
        builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate), null);
        X509CertificateHolder[] chain = signerCertificate == null ? null
                : new X509CertificateHolder[] {new JcaX509CertificateHolder(signerCertificate)};
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                builder.build(signer(signerKey), chain, Date.from(thisUpdate))).getEncoded();
    }

    byte[] ocsp(X509Certificate subject, CertificateStatus status) throws Exception {
        return ocsp(subject, status, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)), key, null);
    }

    static RevokedStatus revokedAt(Instant when) {
        return new RevokedStatus(Date.from(when), CRLReason.keyCompromise);
    }

    static byte[] tryLater() throws Exception {
        return new OCSPResp(new org.bouncycastle.asn1.ocsp.OCSPResponse(
                new org.bouncycastle.asn1.ocsp.OCSPResponseStatus(OCSPRespBuilder.TRY_LATER), null)).getEncoded();
    }

    private static ContentSigner signer(KeyPair key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
