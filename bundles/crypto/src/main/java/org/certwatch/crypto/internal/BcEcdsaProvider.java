package org.certwatch.crypto.internal;

import java.security.Provider;
import java.security.SecureRandom;
import java.util.Map;

/**
 * A JCA provider with nothing but Bouncy Castle's ECDSA signatures. Put first in the provider list, it
 * takes the ECDSA signing and verifying of every TLS handshake (the server's CertificateVerify, the
 * peer's, certificate chains) from SunEC, whose P-256 arithmetic on Java 17 is several times slower.
 * Keys stay the JDK's: Bouncy Castle signs and verifies with any {@code ECPrivateKey}/{@code ECPublicKey}.
 * Nothing else moves: ciphers, digests, key agreement, key stores and certificates keep their providers.
 */
public final class BcEcdsaProvider extends Provider {
    public static final String NAME = "CertwatchBcEcdsa";
    private static final long serialVersionUID = 1L;

    private final transient NamedCurves curves = new NamedCurves();
    private final transient SecureRandom random = new SecureRandom();

    public BcEcdsaProvider() {
        super(NAME, "1.0", "Bouncy Castle ECDSA signatures for TLS (certwatch)");
        signature("SHA256withECDSA", "SHA-256");
        signature("SHA384withECDSA", "SHA-384");
        signature("SHA512withECDSA", "SHA-512");
    }

    private void signature(String algorithm, String digest) {
        // only EC keys on P-256/384/521: any other key goes on to the next provider
        Map<String, String> attributes = Map.of("SupportedKeyClasses",
                "java.security.interfaces.ECPublicKey|java.security.interfaces.ECPrivateKey");
        putService(new Service(this, "Signature", algorithm, EcdsaSignature.class.getName(), null, attributes) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new EcdsaSignature(digest, curves, random);
            }
        });
    }
}
