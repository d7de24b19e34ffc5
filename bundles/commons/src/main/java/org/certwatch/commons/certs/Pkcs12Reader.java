package org.certwatch.commons.certs;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.certwatch.commons.certs.Container.Entry;

/**
 * PKCS#12 read bag by bag (Bouncy Castle's PDU classes), not through {@code KeyStore}: the JDK and Bouncy
 * Castle key stores hide certificate bags without a friendly name, which is how {@code openssl pkcs12 -export}
 * writes trust stores and CA certificates. Private keys are never decrypted; a key bag only names its alias
 * and, by its local key id, the certificate it belongs to, unless the caller asks for the keys. Key-derivation
 * iterations are bounded ({@link Asn1Limits}), so a hostile file cannot make one read take minutes.
 */
final class Pkcs12Reader {
    private record Bag(X509CertificateHolder cert, String name, String keyId) {
    }

    private final Provider provider;

    Pkcs12Reader(Provider provider) {
        this.provider = provider;
    }

    /**
     * @param withKeys whether to decrypt the private keys too (the store's CA import); otherwise a key bag only
     *     names its alias
     */
    Container read(byte[] bytes, char[] password, ContainerLimits limits, boolean withKeys, String what)
            throws IOException, PKCSException {
        // every iteration count the file shows (its MAC, its bags' encryption), before any key derivation
        Asn1Limits.requireModestKeyDerivation(bytes, what);
        char[] pw = password == null ? new char[0] : password;
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(bytes);
        if (pfx.hasMac()
                && !pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), pw)) {
            throw new ContainerException(ContainerProblem.WRONG_PASSWORD, pw.length == 0
                    ? what + ": this PKCS#12 file needs a password, none is given"
                    : what + ": the password does not open this PKCS#12 file (or the file is damaged)");
        }
        InputDecryptorProvider decryptor = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(provider)
                .build(pw);
        List<Bag> certs = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>(); // local key id (or name) → alias
        List<PrivateKey> privateKeys = new ArrayList<>();
        for (ContentInfo info : pfx.getContentInfos()) {
            PKCS12SafeBagFactory factory = info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)
                    ? new PKCS12SafeBagFactory(info, decryptor) : new PKCS12SafeBagFactory(info);
            for (PKCS12SafeBag bag : factory.getSafeBags()) {
                if (certs.size() + keys.size() >= limits.maxCertificates()) {
                    throw new ContainerException(ContainerProblem.TOO_LARGE, what + ": more than the "
                            + limits.maxCertificates() + " certificates allowed");
                }
                String name = attribute(bag, PKCSObjectIdentifiers.pkcs_9_at_friendlyName);
                String keyId = attribute(bag, PKCSObjectIdentifiers.pkcs_9_at_localKeyId);
                if (bag.getType().equals(PKCSObjectIdentifiers.certBag)) {
                    certs.add(new Bag((X509CertificateHolder) bag.getBagValue(), name, keyId));
                } else if (bag.getType().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)
                        || bag.getType().equals(PKCSObjectIdentifiers.keyBag)) {
                    String alias = name != null ? name : keyId != null ? keyId : Integer.toString(keys.size() + 1);
                    keys.put(keyId != null ? keyId : alias, alias);
                    if (withKeys) {
                        privateKeys.add(key(bag, decryptor, what));
                    }
                }
            }
        }
        return new Container(entries(certs, keys, limits, what), privateKeys);
    }

    private PrivateKey key(PKCS12SafeBag bag, InputDecryptorProvider decryptor, String what) {
        try {
            PrivateKeyInfo info = bag.getBagValue() instanceof PKCS8EncryptedPrivateKeyInfo shrouded
                    ? shrouded.decryptPrivateKeyInfo(decryptor) : (PrivateKeyInfo) bag.getBagValue();
            return new JcaPEMKeyConverter().setProvider(provider).getPrivateKey(info);
        } catch (PKCSException | IOException | RuntimeException e) {
            throw new ContainerException(ContainerProblem.WRONG_PASSWORD, what + ": a key of this PKCS#12 file cannot"
                    + " be read (it is damaged, or encrypted with another password than the file)", e);
        }
    }

    /** One entry per key (its certificate, then its issuers found in the file) and per certificate of no chain. */
    private static List<Entry> entries(List<Bag> certs, Map<String, String> keys, ContainerLimits limits,
            String what) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Bag> inChains = new ArrayList<>();
        for (Map.Entry<String, String> key : keys.entrySet()) {
            Bag leaf = certs.stream().filter(c -> key.getKey().equals(c.keyId())).findFirst().orElse(null);
            if (leaf == null) {
                continue;
            }
            List<byte[]> chain = new ArrayList<>();
            for (Bag at = leaf; at != null && !inChainOf(chain, at) && chain.size() < certs.size(); ) {
                chain.add(at.cert().getEncoded());
                inChains.add(at);
                Bag current = at;
                at = current.cert().getIssuer().equals(current.cert().getSubject()) ? null : certs.stream()
                        .filter(c -> c.cert().getSubject().equals(current.cert().getIssuer())).findFirst()
                        .orElse(null);
            }
            entries.add(new Entry(key.getValue(), chain));
        }
        int position = 0;
        for (Bag c : certs) {
            position++;
            if (!inChains.contains(c)) {
                String alias = c.name() != null ? c.name() : c.keyId() != null ? c.keyId() : "cert-" + position;
                entries.add(new Entry(alias, List.of(c.cert().getEncoded())));
            }
        }
        if (entries.size() > limits.maxAliases()) {
            throw new ContainerException(ContainerProblem.TOO_LARGE, what + ": " + entries.size()
                    + " aliases, more than the " + limits.maxAliases() + " allowed");
        }
        if (entries.isEmpty()) {
            throw new ContainerException(ContainerProblem.EMPTY, what + ": this PKCS#12 file holds no certificate");
        }
        entries.sort(java.util.Comparator.comparing(Entry::alias));
        return entries;
    }

    private static boolean inChainOf(List<byte[]> chain, Bag bag) throws IOException {
        byte[] der = bag.cert().getEncoded();
        return chain.stream().anyMatch(c -> java.util.Arrays.equals(c, der));
    }

    private static String attribute(PKCS12SafeBag bag, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        for (Attribute a : bag.getAttributes() == null ? new Attribute[0] : bag.getAttributes()) {
            if (a.getAttrType().equals(type) && a.getAttrValues().size() > 0) {
                ASN1Encodable v = a.getAttrValues().getObjectAt(0);
                if (v instanceof DERBMPString s) {
                    return s.getString();
                }
                if (v instanceof ASN1OctetString o) {
                    return HexFormat.of().formatHex(o.getOctets());
                }
            }
        }
        return null;
    }
}
