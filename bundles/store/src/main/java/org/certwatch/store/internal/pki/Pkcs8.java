package org.certwatch.store.internal.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** PKCS#8 encodings every reader understands. */
final class Pkcs8 {
    private Pkcs8() {
    }

    /**
     * The key as version-1 PrivateKeyInfo. Bouncy Castle writes Ed25519 keys as OneAsymmetricKey
     * (RFC 5958, version 2 with the public key), which OpenSSL 3.0 rejects; the public key is derivable,
     * so it is left out.
     */
    static byte[] encode(PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            if (info.hasPublicKey()) {
                info = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(), info.getAttributes());
            }
            return info.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a private key: " + e.getMessage(), e);
        }
    }
}
