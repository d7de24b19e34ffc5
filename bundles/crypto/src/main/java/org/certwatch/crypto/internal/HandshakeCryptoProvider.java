package org.certwatch.crypto.internal;

import java.security.Provider;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A JCA provider with the public-key operations of a TLS 1.3 handshake on Bouncy Castle's arithmetic:
 * {@code SHAnnnwithECDSA} (the CertificateVerify signatures, certificate chains) for the JDK's EC keys
 * on P-256/384/521, the ephemeral keys of key shares on those curves ({@code EC} key pairs, the JDK's key
 * types), and the X25519 key share ({@code XDH}). Put first in the provider list it takes
 * them from SunEC, whose P-256 and X25519 code is several times slower on Java 17. Keys and
 * certificates stay the JDK's; ciphers, digests, key factories, key stores and certificates keep their
 * providers, and keys on other curves go on to the next provider.
 */
public final class HandshakeCryptoProvider extends Provider {
    public static final String NAME = "CertwatchHandshakeCrypto";
    private static final long serialVersionUID = 1L;

    private final transient NamedCurves curves = new NamedCurves();
    private final transient SecureRandom random = new SecureRandom();

    public HandshakeCryptoProvider() {
        super(NAME, "1.0", "Bouncy Castle ECDSA, EC key shares and X25519 for TLS handshakes (certwatch)");
        String ecKeys = "java.security.interfaces.ECPublicKey|java.security.interfaces.ECPrivateKey";
        service("Signature", "SHA256withECDSA", EcdsaSignature.class, ecKeys, () -> new EcdsaSignature("SHA-256", curves, random));
        service("Signature", "SHA384withECDSA", EcdsaSignature.class, ecKeys, () -> new EcdsaSignature("SHA-384", curves, random));
        service("Signature", "SHA512withECDSA", EcdsaSignature.class, ecKeys, () -> new EcdsaSignature("SHA-512", curves, random));
        service("KeyPairGenerator", "EC", EcKeyPairGenerator.class, null, () -> new EcKeyPairGenerator(curves, random));
        service("KeyPairGenerator", "XDH", X25519KeyPairGenerator.class, null, () -> new X25519KeyPairGenerator(random));
        service("KeyAgreement", "XDH", X25519KeyAgreement.class, "java.security.interfaces.XECPrivateKey", X25519KeyAgreement::new);
    }

    private void service(String type, String algorithm, Class<?> implementation, String keyClasses, Supplier<Object> spi) {
        Map<String, String> attributes = keyClasses == null ? null : Map.of("SupportedKeyClasses", keyClasses);
        putService(new Service(this, type, algorithm, implementation.getName(), null, attributes) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return spi.get();
            }
        });
    }
}
