package org.certwatch.bench;

import java.security.Security;
import org.certwatch.crypto.internal.HandshakeCryptoProvider;

/**
 * The simulated agents of a benchmark run in this JVM on the cores the server is measured on. While
 * one is open they sign, verify and agree keys with the server's handshake provider (its
 * {@code org.certwatch.crypto} bundle), so that the load generator's handshakes take as little of the
 * shared CPU as they can and the figure is the server's. Every handshake is still a real one on both
 * sides. The probe benchmark runs the server's TLS probe in this JVM: with it open, the probe's handshakes use
 * the provider as they do in the server. Closing it restores the JDK's providers for the benchmarks that follow.
 */
final class LoadGeneratorCrypto implements AutoCloseable {
    private final boolean installed;

    private LoadGeneratorCrypto() {
        installed = Security.getProvider(HandshakeCryptoProvider.NAME) == null
                && Security.insertProviderAt(new HandshakeCryptoProvider(), 1) == 1;
    }

    static LoadGeneratorCrypto install() {
        return new LoadGeneratorCrypto();
    }

    @Override
    public void close() {
        if (installed) {
            Security.removeProvider(HandshakeCryptoProvider.NAME);
        }
    }
}
