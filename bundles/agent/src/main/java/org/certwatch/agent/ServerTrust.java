package org.certwatch.agent;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How an agent trusts the server: the server's certificate must be signed by one of the CAs the agent
 * trusts (from enrolment or its latest policy) and valid now. Host names are not checked: the
 * reference product's server certificate names any host ({@code *}). During enrolment the trusted CA
 * is the one whose fingerprint the token pins, taken from the server's own chain.
 *
 * <p>The server presents the same certificate at every full handshake until it is switched; an agent's
 * {@link Memory} keeps the one it verified last and the CA that signed it, across the trust managers of
 * its successive key material, so that signature is verified once while that CA stays trusted.
 */
final class ServerTrust extends X509ExtendedTrustManager {
    private final List<X509Certificate> anchors;
    private final String pinnedCaFingerprint;
    private final Memory memory;

    /** The server certificate an agent verified last, and its issuer. */
    static final class Memory {
        private record Verified(X509Certificate leaf, X509Certificate ca) {
        }

        private volatile Verified last;
    }

    private ServerTrust(List<X509Certificate> anchors, String pinnedCaFingerprint, Memory memory) {
        this.anchors = List.copyOf(anchors);
        this.pinnedCaFingerprint = pinnedCaFingerprint;
        this.memory = memory;
    }

    static ServerTrust of(List<X509Certificate> anchors, Memory memory) {
        return new ServerTrust(anchors, null, memory);
    }

    static ServerTrust pinned(String caFingerprint) {
        return new ServerTrust(List.of(), caFingerprint, new Memory());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        X509Certificate leaf = chain[0];
        List<X509Certificate> candidates = anchors;
        if (pinnedCaFingerprint != null) {
            candidates = java.util.Arrays.stream(chain).filter(c -> Pem.fingerprint(c).equals(pinnedCaFingerprint)).toList();
            if (candidates.isEmpty()) {
                throw new CertificateException("the server's chain does not contain the CA the enrolment token names ("
                        + pinnedCaFingerprint.substring(0, 16) + "…)");
            }
        }
        X509Certificate issuer = null;
        Memory.Verified last = memory.last;
        if (last != null && last.leaf().equals(leaf) && candidates.contains(last.ca())) {
            issuer = last.ca(); // the same certificate (DER) this agent verified against this CA before
        }
        for (int i = 0; issuer == null && i < candidates.size(); i++) {
            X509Certificate ca = candidates.get(i);
            if (ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                try {
                    leaf.verify(ca.getPublicKey());
                    issuer = ca;
                    memory.last = new Memory.Verified(leaf, ca);
                } catch (GeneralSecurityException ignored) {
                    // another CA with the same name
                }
            }
        }
        if (issuer == null) {
            throw new CertificateException("the server certificate (" + leaf.getSubjectX500Principal() + ", issued by "
                    + leaf.getIssuerX500Principal() + ") is not issued by a CA this agent trusts; the server's CA was replaced"
                    + " (a rollover this agent missed?): enrol the agent again");
        }
        Instant now = Instant.now();
        if (now.isBefore(leaf.getNotBefore().toInstant()) || now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new CertificateException("the server certificate is not valid now (valid " + leaf.getNotBefore().toInstant()
                    + " to " + leaf.getNotAfter().toInstant() + "); is this computer's clock right?");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an agent does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchors.toArray(new X509Certificate[0]);
    }
}
