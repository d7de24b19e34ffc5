package org.certwatch.store.internal.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certwatch.api.Role;

/** Builds and signs CA and peer certificates with the extensions certwatch promises. */
public final class CertificateMaker {
    private final BouncyCastleProvider provider;
    private final SecureRandom random;

    public CertificateMaker(BouncyCastleProvider provider, SecureRandom random) {
        this.provider = provider;
        this.random = random;
    }

    /** 159 random bits with the top one set: positive, 20 DER bytes, unguessable (CA/B forum asks ≥64). */
    public BigInteger serial() {
        return new BigInteger(159, random).setBit(158);
    }

    /** A self-signed CA: basicConstraints CA pathLen 0, keyCertSign + cRLSign, key identifiers. */
    public X509CertificateHolder selfSignedCa(X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter) {
        try {
            BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, spki);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(spki));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(spki));
            return builder.build(signer(keys.getPrivate(), keys.getPublic()));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build a CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A peer certificate. {@code names} become the subjectAltName ({@code *} adds nothing); SERVER gets
     * EKU serverAuth+clientAuth, the other roles clientAuth+serverAuth (agents also serve replication).
     */
    public X509CertificateHolder peer(X509CertificateHolder ca, PrivateKey caKey, X500Name subject, PublicKey key,
            Role role, List<String> names, Instant notBefore, Instant notAfter, String crlUrl) {
        try {
            BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(ca.getSubject(), serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, spki);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature;
            if (KeyPairs.algorithmName(key).equals("RSA")) {
                usage |= KeyUsage.keyEncipherment;
            }
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            KeyPurposeId[] purposes = role == Role.SERVER
                    ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                    : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth};
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            List<GeneralName> altNames = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                GeneralName general = Names.generalName(name);
                if (general != null) {
                    altNames.add(general);
                }
            }
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(spki));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ids.createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo()));
            if (crlUrl != null && !crlUrl.isBlank()) {
                GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl);
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
                        new DistributionPoint[] {new DistributionPoint(
                                new DistributionPointName(new GeneralNames(uri)), null, null)}));
            }
            return builder.build(signer(caKey, publicKeyOf(ca)));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build a certificate: " + e.getMessage(), e);
        }
    }

    ContentSigner signer(PrivateKey key, PublicKey publicKey) {
        try {
            return new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(publicKey)).setProvider(provider)
                    .setSecureRandom(random).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    public PublicKey publicKeyOf(X509CertificateHolder certificate) {
        try {
            return new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().setProvider(provider)
                    .getPublicKey(certificate.getSubjectPublicKeyInfo());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable public key: " + e.getMessage(), e);
        }
    }

    /** True when the certificate's signature verifies with the issuer's public key. */
    public boolean signedBy(X509CertificateHolder certificate, X509CertificateHolder issuer) {
        try {
            return certificate.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .setProvider(provider).build(issuer.getSubjectPublicKeyInfo()));
        } catch (org.bouncycastle.cert.CertException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    /** True when the private key belongs to the certificate: sign a challenge, verify it. */
    public boolean keyMatches(PrivateKey key, X509CertificateHolder certificate) {
        try {
            PublicKey publicKey = publicKeyOf(certificate);
            String algorithm = KeyPairs.signatureAlgorithm(publicKey);
            byte[] challenge = new byte[32];
            random.nextBytes(challenge);
            java.security.Signature s = java.security.Signature.getInstance(algorithm, provider);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            java.security.Signature v = java.security.Signature.getInstance(algorithm, provider);
            v.initVerify(publicKey);
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
