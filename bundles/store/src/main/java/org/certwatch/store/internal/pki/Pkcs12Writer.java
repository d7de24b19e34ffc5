package org.certwatch.store.internal.pki;

import java.io.IOException;
import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * PKCS#12 with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) for key and certificates and an HMAC-SHA256
 * MAC: what OpenSSL 3 writes by default, so {@code openssl pkcs12} reads it without -legacy.
 */
public final class Pkcs12Writer {
    static final int ITERATIONS = 100_000;
    private final BouncyCastleProvider provider;

    public Pkcs12Writer(BouncyCastleProvider provider) {
        this.provider = provider;
    }

    public byte[] write(String friendlyName, PrivateKey key, List<X509CertificateHolder> chain, char[] password) {
        try {
            OutputEncryptor encryptor = new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(provider)
                    .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                    .setIterationCount(ITERATIONS).build(password);
            BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
            PKCS12SafeBag[] certificateBags = new PKCS12SafeBag[chain.size()];
            for (int i = 0; i < chain.size(); i++) {
                PKCS12SafeBagBuilder bag = new PKCS12SafeBagBuilder(chain.get(i));
                if (i == 0) {
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId,
                            ids.createSubjectKeyIdentifier(chain.get(0).getSubjectPublicKeyInfo()));
                }
                certificateBags[i] = bag.build();
            }
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor, certificateBags);
            if (key != null) {
                PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(PrivateKeyInfo.getInstance(Pkcs8.encode(key)),
                        encryptor);
                keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
                keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId,
                        ids.createSubjectKeyIdentifier(chain.get(0).getSubjectPublicKeyInfo()));
                pfx.addData(keyBag.build());
            }
            return pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256).setProvider(provider)
                    .setIterationCount(ITERATIONS), password).getEncoded();
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.pkcs.PKCSException e) {
            throw new IllegalStateException("cannot write PKCS#12: " + e.getMessage(), e);
        }
    }
}
