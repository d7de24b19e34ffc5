package org.certwatch.bench;

import java.security.Security;
import org.certwatch.crypto.internal.HandshakeCryptoProvider;

/**
 * The simulated agents of a benchmark run in this JVM on the cores the server is measured on. They
 * sign and verify ECDSA with Bouncy Castle, as the server does (its {@code org.certwatch.crypto}
 * bundle), so that the load generator's handshakes take as little of the shared CPU as they can and
 * the figure is the server's. Every handshake is still a real one on both sides.
 */
final class LoadGeneratorCrypto {
    private LoadGeneratorCrypto() {
    }

    static void install() {
        if (Security.getProvider(HandshakeCryptoProvider.NAME) == null) {
            Security.insertProviderAt(new HandshakeCryptoProvider(), 1);
        }
    }
}
