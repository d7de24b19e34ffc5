package org.certwatch.store.internal.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.certwatch.api.store.CertificateStoreException;

/**
 * Reads what users import: PEM (certificates, plain or encrypted keys), DER (a certificate or a
 * PKCS#8 key), PKCS#12 or a Java keystore (JKS, JCEKS). Every failure becomes a {@link CertificateStoreException} saying what is
 * wrong with the input.
 */
public final class ImportReader {
    private final BouncyCastleProvider provider;

    /** Certificates in file order, keys if any. */
    public record Material(List<X509CertificateHolder> certificates, List<PrivateKey> keys) {
    }

    public ImportReader(BouncyCastleProvider provider) {
        this.provider = provider;
    }

    public Material read(byte[] data, char[] password, String what) {
        try {
            return readScanned(data, password, what);
        } catch (StackOverflowError e) {
            // The nesting scan sees all but what a PKCS#12 or an encrypted key decrypts to: a file made with its
            // own password can nest thousands of levels in there, and Bouncy Castle's parser recurses per level.
            // Only this call's own objects were on the unwound stack, so nothing shared is left half-done.
            throw new CertificateStoreException(what + " is nested too deeply to be read (the ASN.1 parser ran out"
                    + " of stack; encrypted content hides its nesting from the scan): it is damaged or hostile");
        }
    }

    private Material readScanned(byte[] data, char[] password, String what) {
        if (data == null || data.length == 0) {
            throw new CertificateStoreException(what + " is empty");
        }
        if (looksLikePem(data)) {
            for (byte[] block : pemBodies(data)) {
                Asn1Limits.requireShallow(block, what);
            }
            return readPem(data, password, what);
        }
        if (isJavaKeyStore(data)) {
            return readJavaKeyStore(data, password, what);
        }
        Asn1Limits.requireShallow(data, what);
        if ((data[0] & 0xff) != 0x30) {
            throw new CertificateStoreException(what + " is neither PEM nor DER/PKCS#12 (it does not start with"
                    + " '-----BEGIN' or an ASN.1 SEQUENCE)");
        }
        X509CertificateHolder certificate = tryCertificate(data);
        if (certificate != null) {
            return new Material(List.of(readable(certificate, what)), List.of());
        }
        PrivateKey key = tryPkcs8(data);
        if (key != null) {
            return new Material(List.of(), List.of(key));
        }
        return readPkcs12(data, password, what);
    }

    private static final java.util.regex.Pattern PEM_BLOCK = java.util.regex.Pattern.compile(
            "-----BEGIN ([^-\\r\\n]*)-----.*?-----END ([^-\\r\\n]*)-----", java.util.regex.Pattern.DOTALL);

    private static boolean looksLikePem(byte[] data) {
        String head = new String(data, 0, Math.min(data.length, 4096), StandardCharsets.ISO_8859_1);
        return head.contains("-----BEGIN ");
    }

    private Material readPem(byte[] data, char[] password, String what) {
        String text = new String(data, StandardCharsets.UTF_8);
        int begins = count(text, "-----BEGIN ");
        int ends = count(text, "-----END ");
        if (begins != ends) {
            throw new CertificateStoreException(what + " is truncated PEM: " + begins + " BEGIN line(s) but " + ends
                    + " END line(s)");
        }
        List<X509CertificateHolder> certificates = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(provider);
        // block by block, so that a refusal can name the block that is damaged
        java.util.regex.Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (!type.equals(block.group(2))) {
                throw new CertificateStoreException(what + ": the PEM block " + type + " ends with an END line for "
                        + block.group(2) + ": the file is damaged");
            }
            Object item;
            try (PEMParser parser = new PEMParser(new StringReader(block.group()))) {
                item = parser.readObject();
            } catch (IOException | RuntimeException e) {
                throw new CertificateStoreException(what + ": " + damagedBlock(type, e), e);
            }
            if (item instanceof X509CertificateHolder c) {
                certificates.add(readable(c, what));
            } else if (item instanceof PEMKeyPair || item instanceof PrivateKeyInfo) {
                try {
                    keys.add(item instanceof PEMKeyPair pair ? converter.getPrivateKey(pair.getPrivateKeyInfo())
                            : converter.getPrivateKey((PrivateKeyInfo) item));
                } catch (IOException | RuntimeException e) {
                    throw new CertificateStoreException(what + ": the key in the PEM block " + type
                            + " is damaged or of a kind certwatch does not read", e);
                }
            } else if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                requirePassword(password, what);
                try {
                    keys.add(converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(provider).build(password))));
                } catch (Exception e) {
                    throw new CertificateStoreException(what + ": the password does not open its encrypted key", e);
                }
            } else if (item instanceof PEMEncryptedKeyPair legacy) {
                requirePassword(password, what);
                try {
                    keys.add(converter.getPrivateKey(legacy.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(provider).build(password))
                            .getPrivateKeyInfo()));
                } catch (Exception e) {
                    throw new CertificateStoreException(what + ": the password does not open its encrypted key", e);
                }
            }
        }
        if (certificates.isEmpty() && keys.isEmpty()) {
            throw new CertificateStoreException(what + " holds no certificate or key PEM block");
        }
        return new Material(certificates, keys);
    }

    /** Why PEMParser refused a block, in the terms of PEM: its base64 text, its DER content or its kind. */
    private static String damagedBlock(String type, Throwable e) {
        String kind = type.contains("CERTIFICATE") ? "not a certificate: " : type.contains("KEY") ? "not a key: " : "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.bouncycastle.util.encoders.DecoderException
                    || String.valueOf(t.getMessage()).contains("base64")) {
                return kind + "the PEM block " + type + " is damaged (its base64 text is invalid)";
            }
        }
        if (String.valueOf(e.getMessage()).startsWith("unrecognised object")) {
            return "the PEM block " + type + " is of a kind certwatch does not read (it reads CERTIFICATE and private"
                    + " keys: PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA/EC PRIVATE KEY)";
        }
        return kind + "the PEM block " + type + " is damaged (its DER encoding is invalid)";
    }

    private static void requirePassword(char[] password, String what) {
        if (password == null || password.length == 0) {
            throw new CertificateStoreException(what + " holds an encrypted key; give its password");
        }
    }

    private static int count(String text, String token) {
        int n = 0;
        for (int i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) {
            n++;
        }
        return n;
    }

    private static X509CertificateHolder tryCertificate(byte[] der) {
        try {
            return new X509CertificateHolder(der);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private PrivateKey tryPkcs8(byte[] der) {
        try {
            return new JcaPEMKeyConverter().setProvider(provider).getPrivateKey(PrivateKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Material readPkcs12(byte[] data, char[] password, String what) {
        Asn1Limits.requireModestKeyDerivation(data, what);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12", provider);
        } catch (java.security.KeyStoreException e) {
            throw new IllegalStateException("PKCS12 unavailable: " + e.getMessage(), e);
        }
        try {
            store.load(new ByteArrayInputStream(data), password == null ? new char[0] : password);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (message.contains("password") || message.contains("mac") || e.getCause() != null
                    && String.valueOf(e.getCause().getMessage()).toLowerCase(java.util.Locale.ROOT).contains("pad")) {
                throw new CertificateStoreException(what + ": the password does not open this PKCS#12 file (or the"
                        + " file is damaged)", e);
            }
            throw notReadable(what, e);
        } catch (Exception e) {
            throw notReadable(what, e);
        }
        List<X509CertificateHolder> certificates = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    if (key instanceof PrivateKey pk) {
                        keys.add(pk);
                    }
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (chain != null) {
                        for (Certificate c : chain) {
                            addUnique(certificates, readable(new X509CertificateHolder(c.getEncoded()), what));
                        }
                    }
                } else if (store.getCertificate(alias) != null) {
                    addUnique(certificates, readable(new X509CertificateHolder(store.getCertificate(alias).getEncoded()),
                            what));
                }
            }
        } catch (CertificateStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateStoreException(what + ": an entry of this PKCS#12 file cannot be read (it is damaged,"
                    + " or its key is encrypted with another password than the file)", e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateStoreException(what + ": this PKCS#12 file holds no certificate");
        }
        return new Material(certificates, keys);
    }

    /** JKS (magic FEEDFEED) or JCEKS (CECECECE): Java keystores, which are not ASN.1. */
    private static boolean isJavaKeyStore(byte[] data) {
        if (data.length < 4) {
            return false;
        }
        int magic = (data[0] & 0xff) << 24 | (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8 | (data[3] & 0xff);
        return magic == 0xFEEDFEED || magic == 0xCECECECE;
    }

    /**
     * The certificates of every entry; keys stay sealed (monitoring needs none). Without a password the JDK skips
     * the keystore's integrity check, so a given password is checked and a wrong one refused.
     */
    private Material readJavaKeyStore(byte[] data, char[] password, String what) {
        boolean jceks = (data[0] & 0xff) == 0xCE;
        List<X509CertificateHolder> certificates = new ArrayList<>();
        try {
            KeyStore store = KeyStore.getInstance(jceks ? "JCEKS" : "JKS");
            store.load(new ByteArrayInputStream(data), password == null || password.length == 0 ? null : password);
            for (String alias : Collections.list(store.aliases())) {
                Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias)
                        : new Certificate[] {store.getCertificate(alias)};
                for (Certificate c : chain == null ? new Certificate[0] : chain) {
                    if (c != null) {
                        addUnique(certificates, readable(new X509CertificateHolder(c.getEncoded()), what));
                    }
                }
            }
        } catch (CertificateStoreException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new CertificateStoreException(what + ": the password does not open this Java keystore", e);
            }
            throw new CertificateStoreException(what + " is a damaged Java keystore (" + e.getMessage() + ")", e);
        } catch (Exception e) {
            throw new CertificateStoreException(what + " is a damaged Java keystore", e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateStoreException(what + ": this Java keystore holds no certificate");
        }
        return new Material(certificates, List.of());
    }

    private static CertificateStoreException notReadable(String what, Exception e) {
        return new CertificateStoreException(what + " is neither a DER certificate nor a readable PKCS#12 file (its"
                + " DER encoding is damaged, or it is another kind of file)", e);
    }

    /**
     * Bouncy Castle decodes names and extensions lazily: a certificate that parsed can still throw when
     * the store reads its subject or key. Read everything the store uses now, so that damage is reported
     * as damage, here, and not as an unexpected failure later.
     */
    private X509CertificateHolder readable(X509CertificateHolder c, String what) {
        // The signature is checked over the DER re-encoding, so BER leniencies (a TRUE that is not 0xFF) would let
        // bytes nobody signed in: only the canonical DER encoding is accepted.
        if (!Arrays.equals(encoded(c, what), reencoded(c, what))) {
            throw new CertificateStoreException(what + " holds a damaged certificate: it is not DER-encoded (a"
                    + " signed certificate is), so its bytes are not the ones its issuer signed");
        }
        part(what, "its subject name", () -> c.getSubject().toString());
        part(what, "its issuer name", () -> c.getIssuer().toString());
        part(what, "its validity dates", () -> List.of(c.getNotBefore(), c.getNotAfter()));
        if (c.getExtensions() != null) {
            for (org.bouncycastle.asn1.ASN1ObjectIdentifier oid : c.getExtensions().getExtensionOIDs()) {
                part(what, "its extension " + oid.getId(), () -> c.getExtension(oid).getParsedValue());
            }
        }
        java.security.cert.X509Certificate x = part(what, "its X.509 structure",
                () -> new JcaX509CertificateConverter().setProvider(provider).getCertificate(c));
        part(what, "its public key", x::getPublicKey);
        part(what, "its subjectAltName", () -> {
            x.getSubjectAlternativeNames();
            return SubjectAltNames.of(c);
        });
        return c;
    }

    @FunctionalInterface
    private interface Part<T> {
        T read() throws Exception;
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

    private static byte[] encoded(X509CertificateHolder c, String what) {
        return part(what, "its encoding", c::getEncoded);
    }

    private static byte[] reencoded(X509CertificateHolder c, String what) {
        return part(what, "its encoding", () -> c.toASN1Structure().getEncoded(ASN1Encoding.DER));
    }

    /** The decoded body of every PEM block (header lines such as Proc-Type skipped); undecodable ones left out. */
    private static List<byte[]> pemBodies(byte[] data) {
        List<byte[]> bodies = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-----BEGIN [^-]*-----(.*?)-----END ",
                java.util.regex.Pattern.DOTALL).matcher(new String(data, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            StringBuilder base64 = new StringBuilder();
            m.group(1).lines().filter(l -> !l.contains(":")).forEach(base64::append);
            try {
                bodies.add(java.util.Base64.getMimeDecoder().decode(base64.toString()));
            } catch (IllegalArgumentException notBase64) {
                // PEMParser reports it
            }
        }
        return bodies;
    }

    private static void addUnique(List<X509CertificateHolder> list, X509CertificateHolder c) {
        if (!list.contains(c)) {
            list.add(c);
        }
    }

}
