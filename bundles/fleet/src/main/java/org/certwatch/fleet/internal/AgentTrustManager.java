package org.certwatch.fleet.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>One instance lives as long as the endpoint. {@link #trust} replaces the trusted CAs in place, so
 * a new CA does not cost the TLS context (and with it every agent's resumable session). The CA that
 * signed a client certificate is remembered by the certificate's SHA-256, since an agent presents the
 * same certificate at every full handshake: the signature is verified once per certificate and CA,
 * not once per handshake. The remembered issuer counts only while that CA is still trusted; dates and
 * revocation are checked at every handshake.
 */
final class AgentTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    /** Enough for a fleet several times the planned size; beyond it the memory starts over. */
    static final int VERIFIED_MAX = 50_000;

    private final CertificateStore store;
    private final Clock clock;
    /** CA fingerprint → CA, in the store's order. */
    private volatile Map<String, X509Certificate> cas = Map.of();
    /** Client certificate fingerprint → fingerprint of the trusted CA whose signature on it was verified. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    /** Trusts no CA until {@link #trust} names them. */
    AgentTrustManager(CertificateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The CAs to trust from now on; what was verified against a CA that is no longer among them is forgotten. */
    void trust(List<X509Certificate> trusted) {
        Map<String, X509Certificate> next = new LinkedHashMap<>();
        for (X509Certificate ca : trusted) {
            next.put(Replication.fingerprint(ca), ca);
        }
        cas = next;
        verified.values().removeIf(ca -> !next.containsKey(ca));
    }

    int trustedCount() {
        return cas.size();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refuse("no client certificate", null);
        }
        X509Certificate leaf = chain[0];
        String fingerprint = Replication.fingerprint(leaf);
        X509Certificate issuer = issuer(leaf, fingerprint);
        if (issuer == null) {
            throw refuse("issued by a CA the server does not trust (" + leaf.getIssuerX500Principal() + ")", leaf);
        }
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
        Optional<CertificateInfo> known = store.certificateByFingerprint(fingerprint);
        if (known.isPresent() && known.get().revoked()) {
            throw refuse("revoked at " + known.get().revokedAt() + " (" + known.get().revocationReason() + ")", leaf);
        }
    }

    /** The trusted CA that signed this certificate, or null. */
    private X509Certificate issuer(X509Certificate leaf, String fingerprint) {
        Map<String, X509Certificate> current = cas;
        String remembered = verified.get(fingerprint);
        if (remembered != null) {
            X509Certificate ca = current.get(remembered);
            if (ca != null) {
                return ca;
            }
        }
        for (Map.Entry<String, X509Certificate> ca : current.entrySet()) {
            if (verifies(ca.getValue(), leaf)) {
                if (verified.size() >= VERIFIED_MAX) {
                    verified.clear();
                }
                verified.put(fingerprint, ca.getKey());
                return ca.getValue();
            }
        }
        return null;
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
        return cas.values().toArray(new X509Certificate[0]);
    }
}
