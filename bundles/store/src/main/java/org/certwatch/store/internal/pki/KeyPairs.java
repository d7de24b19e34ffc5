package org.certwatch.store.internal.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.store.KeyType;

/** Generates key pairs and names the signature algorithm that goes with a key. */
public final class KeyPairs {
    private final BouncyCastleProvider provider;
    private final SecureRandom random;

    public KeyPairs(BouncyCastleProvider provider, SecureRandom random) {
        this.provider = provider;
        this.random = random;
    }

    public KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator;
            switch (type) {
                case EC_P256 -> {
                    generator = KeyPairGenerator.getInstance("EC", provider);
                    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                }
                case EC_P384 -> {
                    generator = KeyPairGenerator.getInstance("EC", provider);
                    generator.initialize(new ECGenParameterSpec("secp384r1"), random);
                }
                case RSA_2048, RSA_3072, RSA_4096 -> {
                    generator = KeyPairGenerator.getInstance("RSA", provider);
                    generator.initialize(type.size(), random);
                }
                case ED25519 -> generator = KeyPairGenerator.getInstance("Ed25519", provider);
                default -> throw new IllegalArgumentException("unknown key type " + type);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key: " + e.getMessage(), e);
        }
    }

    /** SHA-256 for keys up to 256 bits and RSA, SHA-384 for P-384; Ed25519 signs without a digest choice. */
    public static String signatureAlgorithm(PublicKey key) {
        String algorithm = algorithmName(key);
        return switch (algorithm) {
            case "EC" -> keySize(key) > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm()
                    + "; certwatch signs with EC P-256/P-384, RSA or Ed25519 keys");
        };
    }

    public static String algorithmName(PublicKey key) {
        String a = key.getAlgorithm();
        if (a.equals("EC") || a.equals("ECDSA")) {
            return "EC";
        }
        if (a.equals("RSA")) {
            return "RSA";
        }
        if (a.equalsIgnoreCase("Ed25519") || a.equalsIgnoreCase("EdDSA")) {
            return "Ed25519";
        }
        return a;
    }

    public static int keySize(PublicKey key) {
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (algorithmName(key).equals("Ed25519")) {
            return 255;
        }
        return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes().length * 8;
    }
}
