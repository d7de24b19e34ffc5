package org.certwatch.commons.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {
    @Test
    void onlyTls12And13() {
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsPolicy.PROTOCOLS);
    }

    @Test
    void noCbcSuiteAndForwardSecrecyInTls12() {
        for (String suite : TlsPolicy.CIPHER_SUITES) {
            assertTrue(suite.endsWith("_GCM_SHA256") || suite.endsWith("_GCM_SHA384")
                    || suite.endsWith("_CHACHA20_POLY1305_SHA256"), suite + " is not AEAD");
            assertTrue(!suite.contains("CBC"), suite);
            assertTrue(!suite.contains("_WITH_") || suite.startsWith("TLS_ECDHE_"), suite + " has no ECDHE key exchange");
        }
    }

    @Test
    void theJdkSupportsEverySuiteAndAClientSocketGetsExactlyThePolicy() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
        assertTrue(supported.containsAll(TlsPolicy.CIPHER_SUITES), "a suite the JDK does not know");
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            TlsPolicy.apply(socket);
            assertArrayEquals(TlsPolicy.protocols(), socket.getEnabledProtocols());
            assertArrayEquals(TlsPolicy.cipherSuites(), socket.getEnabledCipherSuites());
        }
    }

    @Test
    void aContextsSuitesAreThoseApplyEnablesOnItsSockets() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            TlsPolicy.apply(socket);
            assertArrayEquals(socket.getEnabledCipherSuites(), TlsPolicy.cipherSuites(context));
        }
    }
}
