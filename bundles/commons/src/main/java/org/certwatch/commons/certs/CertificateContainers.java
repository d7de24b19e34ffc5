package org.certwatch.commons.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.certwatch.commons.certs.Container.Entry;

/**
 * The one reader of certificate containers: PEM bundles (every certificate in file order), DER, PKCS#12 and Java
 * keystores (JKS, JCEKS; every alias), the kind told from the bytes, never from a name. Within {@link
 * ContainerLimits}; every refusal is a {@link ContainerException} that names the input and says what is wrong.
 * Certificates come out as the DER they were given in (PEM decoded, nothing re-encoded), each checked to be an
 * X.509 structure once; what they say is for the caller to read.
 */
public final class CertificateContainers {
    private final Provider bouncyCastle;
    private final Pkcs12Reader pkcs12;

    /** {@code bouncyCastle}: decrypts PKCS#12 bags and encrypted keys. */
    public CertificateContainers(Provider bouncyCastle) {
        this.bouncyCastle = bouncyCastle;
        this.pkcs12 = new Pkcs12Reader(bouncyCastle);
    }

    /**
     * @param password the container's, null when it has none (a Java keystore's certificates need none)
     * @param withKeys whether private keys are read too (and must then open with {@code password})
     * @param what names the input in a refusal: a path, "the import"
     */
    public Container read(byte[] bytes, char[] password, ContainerLimits limits, boolean withKeys, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new ContainerException(ContainerProblem.EMPTY, what + " is empty");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ContainerException(ContainerProblem.TOO_LARGE, what + ": " + bytes.length
                    + " bytes, more than the " + limits.maxBytes() + " allowed");
        }
        try {
            return switch (ContainerKind.of(bytes)) {
                case PEM -> pem(bytes, password, limits, withKeys, what);
                case DER -> new Container(List.of(new Entry(null, List.of(certificate(bytes, what, null)))),
                        List.of());
                case PKCS12 -> pkcs12OrKey(bytes, password, limits, withKeys, what);
                case JKS -> keyStore(bytes, "JKS", password, limits, what);
                case JCEKS -> keyStore(bytes, "JCEKS", password, limits, what);
                case UNKNOWN -> throw new ContainerException(ContainerProblem.CORRUPT, (bytes[0] & 0xff) == 0x30
                        ? notDer(what) : what + " is neither PEM nor DER/PKCS#12 nor a Java keystore (it does not"
                                + " start with '-----BEGIN', an ASN.1 SEQUENCE or a keystore's magic number)");
            };
        } catch (StackOverflowError e) {
            // The nesting scan sees all but what a PKCS#12 or an encrypted key decrypts to: a file made with its own
            // password can nest thousands of levels in there, and Bouncy Castle's parser recurses per level. Only
            // this call's own objects were on the unwound stack, so nothing shared is left half-done.
            throw new ContainerException(ContainerProblem.CORRUPT, what + " is nested too deeply to be read (the"
                    + " ASN.1 parser ran out of stack; encrypted content hides its nesting from the scan): it is"
                    + " damaged or hostile");
        }
    }

    private Container pem(byte[] bytes, char[] password, ContainerLimits limits, boolean withKeys, String what) {
        List<byte[]> chain = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        for (PemBlocks.Block block : PemBlocks.read(bytes, what)) {
            boolean certificate = block.label().endsWith("CERTIFICATE") && !block.label().contains("REQUEST");
            boolean key = block.label().endsWith("PRIVATE KEY");
            if (!certificate && !(key && withKeys)) {
                continue; // what a certificate file may hold beside them: keys, parameters, requests
            }
            if (block.der() == null) {
                throw new ContainerException(ContainerProblem.CORRUPT, what + ": " + (certificate ? "not a certificate: "
                        : "not a key: ") + "the PEM block " + block.label() + " is damaged (its base64 text is invalid)");
            }
            Asn1Limits.requireShallow(block.der(), what);
            if (certificate) {
                if (chain.size() == limits.maxCertificates()) {
                    throw new ContainerException(ContainerProblem.TOO_LARGE, what + ": more than the "
                            + limits.maxCertificates() + " certificates allowed");
                }
                chain.add(certificate(block.der(), what, block.label()));
            } else {
                keys.add(pemKey(block.text(bytes), block.label(), password, what));
            }
        }
        if (chain.isEmpty() && keys.isEmpty()) {
            throw new ContainerException(ContainerProblem.EMPTY, what + ": PEM without a certificate");
        }
        return new Container(chain.isEmpty() ? List.of() : List.of(new Entry(null, chain)), keys);
    }

    /**
     * The DER of one certificate, checked to be an X.509 structure (its TBS and signature parsed; names and
     * extensions are for the caller). A TRUSTED CERTIFICATE (openssl's) is the certificate and its trust settings:
     * the certificate only.
     *
     * @param pemLabel the PEM block it came from, null for a DER file
     */
    private static byte[] certificate(byte[] der, String what, String pemLabel) {
        if (pemLabel == null) {
            Asn1Limits.requireShallow(der, what);
        }
        byte[] one = "TRUSTED CERTIFICATE".equals(pemLabel) ? firstElement(der) : der;
        try {
            org.bouncycastle.asn1.x509.Certificate c = org.bouncycastle.asn1.x509.Certificate.getInstance(one);
            TBSCertificate tbs = c.getTBSCertificate();
            if (tbs == null || c.getSignature() == null || c.getSignatureAlgorithm() == null) {
                throw new IllegalArgumentException("incomplete");
            }
        } catch (RuntimeException e) {
            throw new ContainerException(ContainerProblem.CORRUPT, pemLabel == null ? notDer(what)
                    : what + ": not a certificate: the PEM block " + pemLabel
                            + " is damaged (its DER encoding is invalid)", e);
        }
        return one;
    }

    /** The first element of BER {@code der} (its header and content), or all of it when that cannot be told. */
    private static byte[] firstElement(byte[] der) {
        if (der.length < 2) {
            return der;
        }
        int first = der[1] & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4 || der.length < 2 + n) {
                return der;
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | (der[2 + i] & 0xff);
            }
            header = 2 + n;
        }
        return header + length >= der.length ? der : java.util.Arrays.copyOf(der, (int) (header + length));
    }

    private static String notDer(String what) {
        return what + " is neither a DER certificate nor a readable PKCS#12 file (its DER encoding is damaged, or it"
                + " is another kind of file)";
    }

    /** SEQUENCE { INTEGER … } is a PFX (version 3) or, read for its keys, a PKCS#8 private key (version 0 or 1). */
    private Container pkcs12OrKey(byte[] bytes, char[] password, ContainerLimits limits, boolean withKeys,
            String what) {
        Asn1Limits.requireShallow(bytes, what);
        if (withKeys) {
            PrivateKey key = pkcs8(bytes);
            if (key != null) {
                return new Container(List.of(), List.of(key));
            }
        }
        try {
            return pkcs12.read(bytes, password, limits, withKeys, what);
        } catch (IOException | PKCSException | RuntimeException e) {
            if (e instanceof ContainerException refused) {
                throw refused;
            }
            // a hostile file can break the parser in many ways; each is this file's problem only
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("pad")) {
                throw new ContainerException(ContainerProblem.WRONG_PASSWORD, what + ": the password does not open"
                        + " this PKCS#12 file (or the file is damaged)", e);
            }
            throw new ContainerException(ContainerProblem.CORRUPT, notDer(what), e);
        }
    }

    private PrivateKey pkcs8(byte[] der) {
        try {
            return new JcaPEMKeyConverter().setProvider(bouncyCastle).getPrivateKey(PrivateKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private PrivateKey pemKey(String block, String label, char[] password, String what) {
        Object item;
        try (PEMParser parser = new PEMParser(new StringReader(block))) {
            item = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new ContainerException(ContainerProblem.CORRUPT, what + ": not a key: the PEM block " + label
                    + " is damaged (its DER encoding is invalid)", e);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(bouncyCastle);
        try {
            if (item instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (item instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw new ContainerException(ContainerProblem.CORRUPT, what + ": the key in the PEM block " + label
                    + " is damaged or of a kind certwatch does not read", e);
        }
        if (password == null || password.length == 0) {
            throw new ContainerException(ContainerProblem.WRONG_PASSWORD, what
                    + " holds an encrypted key; give its password");
        }
        try {
            if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bouncyCastle).build(password)));
            }
            if (item instanceof PEMEncryptedKeyPair legacy) {
                return converter.getPrivateKey(legacy.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(bouncyCastle).build(password))
                        .getPrivateKeyInfo());
            }
        } catch (Exception e) {
            throw new ContainerException(ContainerProblem.WRONG_PASSWORD, what
                    + ": the password does not open its encrypted key", e);
        }
        throw new ContainerException(ContainerProblem.CORRUPT, what + ": the PEM block " + label
                + " is of a kind certwatch does not read (it reads CERTIFICATE and private keys: PRIVATE KEY,"
                + " ENCRYPTED PRIVATE KEY, RSA/EC PRIVATE KEY)");
    }

    /**
     * Every alias's chain (a trusted certificate is a chain of one); keys stay sealed. Without a password the JDK
     * skips the keystore's integrity check and still reads the certificates; a given password is checked.
     */
    private static Container keyStore(byte[] bytes, String kind, char[] password, ContainerLimits limits,
            String what) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(kind);
            store.load(new ByteArrayInputStream(bytes), password == null || password.length == 0 ? null : password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || mentionsPassword(e)) {
                throw new ContainerException(ContainerProblem.WRONG_PASSWORD, what
                        + ": the password does not open this Java keystore", e);
            }
            throw new ContainerException(ContainerProblem.CORRUPT, what + " is a damaged Java keystore ("
                    + e.getMessage() + ")", e);
        } catch (GeneralSecurityException | RuntimeException | StackOverflowError e) {
            // a hostile keystore can break the parser in many ways; each is this file's problem only
            throw new ContainerException(ContainerProblem.CORRUPT, what + " is a damaged Java keystore ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        try {
            if (store.size() > limits.maxAliases()) {
                throw new ContainerException(ContainerProblem.TOO_LARGE, what + ": " + store.size()
                        + " aliases, more than the " + limits.maxAliases() + " allowed");
            }
            List<String> aliases = Collections.list(store.aliases());
            Collections.sort(aliases);
            List<Entry> entries = new ArrayList<>();
            int certificates = 0;
            for (String alias : aliases) {
                Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias) : null;
                if (chain == null || chain.length == 0) {
                    Certificate one = store.getCertificate(alias);
                    chain = one == null ? new Certificate[0] : new Certificate[] {one};
                }
                certificates += chain.length;
                if (certificates > limits.maxCertificates()) {
                    throw new ContainerException(ContainerProblem.TOO_LARGE, what + ": more than the "
                            + limits.maxCertificates() + " certificates allowed");
                }
                if (chain.length > 0) {
                    List<byte[]> der = new ArrayList<>(chain.length);
                    for (Certificate c : chain) {
                        der.add(c.getEncoded());
                    }
                    entries.add(new Entry(alias, der));
                }
            }
            if (entries.isEmpty()) {
                throw new ContainerException(ContainerProblem.EMPTY, what + ": this Java keystore holds no"
                        + " certificate");
            }
            return new Container(entries, List.of());
        } catch (GeneralSecurityException e) {
            throw new ContainerException(ContainerProblem.CORRUPT, what + " is a damaged Java keystore ("
                    + e.getMessage() + ")", e);
        }
    }

    private static boolean mentionsPassword(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("password") || m.contains("mac invalid") || m.contains("tampered");
    }
}
