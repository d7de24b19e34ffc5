package org.certwatch.store.internal.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Encrypts private keys at rest as PKCS#8 {@code ENCRYPTED PRIVATE KEY} with PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC), the form {@code openssl pkey -passin} reads.
 *
 * <p>Why one salt for the whole store: PBKDF2 with 600,000 iterations costs a good part of a second;
 * paying it per key would bound bulk issuance to a few keys per second. So the AES key is derived once
 * from the store-wide salt and iteration count, every file carries those same PBES2 parameters (so
 * OpenSSL derives the same key) and gets its own random IV.
 */
public final class KeyVault {
    public static final int MIN_ITERATIONS = 600_000;
    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
    private static final byte[] CHECK_PLAINTEXT = "certwatch key password check v1".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] salt;
    private final int iterations;
    private final SecretKey key;
    private final SecureRandom random;
    private final BouncyCastleProvider provider;

    private KeyVault(byte[] salt, int iterations, SecretKey key, SecureRandom random, BouncyCastleProvider provider) {
        this.salt = salt.clone();
        this.iterations = iterations;
        this.key = key;
        this.random = random;
        this.provider = provider;
    }

    /** Derives the store key (the slow step, once per store and password). */
    public static KeyVault derive(char[] password, byte[] salt, int iterations, SecureRandom random,
            BouncyCastleProvider provider) {
        return new KeyVault(salt, iterations, deriveKey(password, salt, iterations), random, provider);
    }

    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return salt;
    }

    private static SecretKey deriveKey(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(raw, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }

    public byte[] salt() {
        return salt.clone();
    }

    public int iterations() {
        return iterations;
    }

    /** A value that proves at open time that the password is the one the store's keys use. */
    public byte[] passwordCheck() {
        return encryptRaw(CHECK_PLAINTEXT);
    }

    public boolean accepts(byte[] check) {
        try {
            byte[] iv = Arrays.copyOf(check, 16);
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] plain = cipher.doFinal(check, 16, check.length - 16);
            return MessageDigest.isEqual(plain, CHECK_PLAINTEXT);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private byte[] encryptRaw(byte[] plain) {
        try {
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] body = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, 16 + body.length);
            System.arraycopy(body, 0, out, 16, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC unavailable: " + e.getMessage(), e);
        }
    }

    /** Encrypts a data key (the secret sealer's) under the store key; {@link #unwrap} reverses it. */
    public byte[] wrap(byte[] dataKey) {
        return Gcm.seal(key, random, dataKey);
    }

    public byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
        return Gcm.open(key, wrapped);
    }

    /** DER of an EncryptedPrivateKeyInfo (PBES2) holding the key's PKCS#8 encoding. */
    public byte[] encrypt(PrivateKey privateKey) {
        try {
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] pkcs8 = Pkcs8.encode(privateKey);
            byte[] encrypted = cipher.doFinal(pkcs8);
            Arrays.fill(pkcs8, (byte) 0);
            PBES2Parameters parameters = new PBES2Parameters(
                    new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                            new PBKDF2Params(salt, iterations, 32, HMAC_SHA256)),
                    new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv)));
            return new EncryptedPrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, parameters), encrypted).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot encrypt a private key: " + e.getMessage(), e);
        }
    }

    /** Decrypts a key this vault (same salt and iterations) encrypted. */
    public PrivateKey decrypt(byte[] encryptedPrivateKeyInfo) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(encryptedPrivateKeyInfo);
            AlgorithmIdentifier algorithm = info.getEncryptionAlgorithm();
            if (!PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
                throw new GeneralSecurityException("key is not PBES2-encrypted");
            }
            PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
            PBKDF2Params kdf = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
            if (!Arrays.equals(kdf.getSalt(), salt) || kdf.getIterationCount().intValue() != iterations
                    || !NISTObjectIdentifiers.id_aes256_CBC.equals(parameters.getEncryptionScheme().getAlgorithm())) {
                throw new GeneralSecurityException("key was encrypted under other parameters than this store's");
            }
            byte[] iv = ASN1OctetString.getInstance(parameters.getEncryptionScheme().getParameters()).getOctets();
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] pkcs8 = cipher.doFinal(info.getEncryptedData());
            try {
                return new JcaPEMKeyConverter().setProvider(provider).getPrivateKey(PrivateKeyInfo.getInstance(pkcs8));
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new GeneralSecurityException("unreadable encrypted key: " + e.getMessage(), e);
        }
    }
}
