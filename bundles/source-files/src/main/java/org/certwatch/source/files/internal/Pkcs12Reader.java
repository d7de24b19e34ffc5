package org.certwatch.source.files.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
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
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.source.files.internal.FileContent.Certificates;
import org.certwatch.source.files.internal.FileContent.Entry;
import org.certwatch.source.files.internal.FileContent.Failure;

/**
 * PKCS#12 read bag by bag (Bouncy Castle's PDU classes), not through {@code KeyStore}: the JDK and Bouncy
 * Castle key stores hide certificate bags without a friendly name, which is how {@code openssl pkcs12 -export}
 * writes trust stores and CA certificates. Private keys are never decrypted; a key bag only names its alias
 * and, by its local key id, the certificate it belongs to. Key-derivation iterations are bounded, so a hostile
 * file cannot make one read take minutes.
 */
final class Pkcs12Reader {
    static final int MAX_ITERATIONS = 1_000_000;

    private record Bag(X509CertificateHolder cert, String name, String keyId) {
    }

    private final Provider provider;

    Pkcs12Reader(Provider provider) {
        this.provider = provider;
    }

    FileContent read(Path file, byte[] bytes, char[] password, Bounds b) throws IOException, PKCSException {
        char[] pw = password == null ? new char[0] : password;
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(bytes);
        if (pfx.hasMac()) {
            var mac = pfx.toASN1Structure().getMacData();
            BigInteger iterations = mac == null ? BigInteger.ONE : mac.getIterationCount();
            if (iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
                return iterationsTooMany(file);
            }
            if (!pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), pw)) {
                return new Failure(LocationFailure.WRONG_PASSWORD, file + ": PKCS#12 keystore"
                        + (pw.length == 0 ? " needs a password, none is set" : ": wrong password"));
            }
        }
        InputDecryptorProvider decryptor = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(provider)
                .build(pw);
        List<Bag> certs = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>(); // local key id (or name) → alias
        for (ContentInfo info : pfx.getContentInfos()) {
            PKCS12SafeBagFactory factory;
            if (info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)) {
                AlgorithmIdentifier alg = EncryptedData.getInstance(info.getContent()).getEncryptionAlgorithm();
                if (iterations(alg) > MAX_ITERATIONS) {
                    return iterationsTooMany(file);
                }
                factory = new PKCS12SafeBagFactory(info, decryptor);
            } else {
                factory = new PKCS12SafeBagFactory(info);
            }
            for (PKCS12SafeBag bag : factory.getSafeBags()) {
                if (certs.size() + keys.size() >= b.maxCertificates()) {
                    return new Failure(LocationFailure.TOO_LARGE, file + ": more than max.certificates ("
                            + b.maxCertificates() + ") certificates");
                }
                String name = attribute(bag, PKCSObjectIdentifiers.pkcs_9_at_friendlyName);
                String keyId = attribute(bag, PKCSObjectIdentifiers.pkcs_9_at_localKeyId);
                if (bag.getType().equals(PKCSObjectIdentifiers.certBag)) {
                    certs.add(new Bag((X509CertificateHolder) bag.getBagValue(), name, keyId));
                } else if (bag.getType().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)
                        || bag.getType().equals(PKCSObjectIdentifiers.keyBag)) {
                    String alias = name != null ? name : keyId != null ? keyId : Integer.toString(keys.size() + 1);
                    keys.put(keyId != null ? keyId : alias, alias);
                }
            }
        }
        return entries(file, certs, keys, b);
    }

    private static Failure iterationsTooMany(Path file) {
        return new Failure(LocationFailure.TOO_LARGE, file + ": PKCS#12 key derivation of more than "
                + MAX_ITERATIONS + " iterations");
    }

    /** One entry per key (its certificate, then its issuers found in the file) and per certificate of no chain. */
    private static FileContent entries(Path file, List<Bag> certs, Map<String, String> keys, Bounds b)
            throws IOException {
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
        if (entries.size() > b.maxAliases()) {
            return new Failure(LocationFailure.TOO_LARGE, file + ": " + entries.size()
                    + " aliases, more than max.aliases (" + b.maxAliases() + ")");
        }
        if (entries.isEmpty()) {
            return new Failure(LocationFailure.EMPTY, file + ": PKCS#12 keystore without a certificate");
        }
        entries.sort(java.util.Comparator.comparing(Entry::alias));
        return new Certificates(entries);
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

    /** The key-derivation iterations an encryption algorithm asks for (PBES2 or PKCS#12 PBE). */
    private static long iterations(AlgorithmIdentifier alg) {
        if (alg.getAlgorithm().equals(PKCSObjectIdentifiers.id_PBES2)) {
            PBES2Parameters p = PBES2Parameters.getInstance(alg.getParameters());
            PBKDF2Params kdf = PBKDF2Params.getInstance(p.getKeyDerivationFunc().getParameters());
            return saturated(kdf.getIterationCount());
        }
        return saturated(PKCS12PBEParams.getInstance(alg.getParameters()).getIterations());
    }

    private static long saturated(BigInteger n) {
        return n.bitLength() > 62 ? Long.MAX_VALUE : n.longValue();
    }
}
