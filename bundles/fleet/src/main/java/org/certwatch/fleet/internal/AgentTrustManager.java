package org.certwatch.fleet.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;

/**
 * Verifies agents' client certificates at the handshake: issued (signature checked) by one of the CAs
 * the server trusts now (old and new during a rollover), valid by the registry's clock, and not
 * revoked in the store (the store is the source of its CAs' CRLs). A refusal names its reason in the
 * log; the agent sees the handshake fail.
 */
final class AgentTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");

    private final List<X509Certificate> cas;
    private final CertificateStore store;
    private final Clock clock;

    AgentTrustManager(List<X509Certificate> cas, CertificateStore store, Clock clock) {
        this.cas = List.copyOf(cas);
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refuse("no client certificate", null);
        }
        X509Certificate leaf = chain[0];
        X509Certificate issuer = cas.stream().filter(ca -> verifies(ca, leaf)).findFirst()
                .orElseThrow(() -> refuse("issued by a CA the server does not trust (" + leaf.getIssuerX500Principal()
                        + ")", leaf));
        Instant now = clock.instant();
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw refuse("not valid before " + leaf.getNotBefore().toInstant(), leaf);
        }
        if (!now.isBefore(leaf.getNotAfter().toInstant())) {
            throw refuse("expired at " + leaf.getNotAfter().toInstant(), leaf);
        }
        if (!now.isBefore(issuer.getNotAfter().toInstant())) {
            throw refuse("its CA expired at " + issuer.getNotAfter().toInstant(), leaf);
        }
        Optional<CertificateInfo> known = store.certificateByFingerprint(Replication.fingerprint(leaf));
        if (known.isPresent() && known.get().revoked()) {
            throw refuse("revoked at " + known.get().revokedAt() + " (" + known.get().revocationReason() + ")", leaf);
        }
    }

    private static boolean verifies(X509Certificate ca, X509Certificate leaf) {
        if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
            return false;
        }
        try {
            leaf.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static CertificateException refuse(String reason, X509Certificate leaf) {
        String who = leaf == null ? "a client" : "client certificate " + leaf.getSubjectX500Principal();
        LOG.warning("agent handshake refused: " + who + ": " + reason);
        return new CertificateException("client certificate refused: " + reason);
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
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent endpoint does not verify servers");
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
    public X509Certificate[] getAcceptedIssuers() {
        return cas.toArray(new X509Certificate[0]);
    }
}
