package org.certwatch.fleet.internal.endpoint;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;

/**
 * Verifies agents' client certificates at the handshake: issued by one of the CAs the server trusts now
 * (old and new during a rollover), valid by the registry's clock, and not revoked in the store (the
 * store is the source of its CAs' CRLs). A refusal names its reason in the log; the agent sees the
 * handshake fail.
 *
 * <p>One instance lives as long as the endpoint. {@link #trust} replaces the trusted CAs in place, so
 * a new CA does not cost the TLS context (and with it every agent's resumable session). A certificate
 * the store knows by its SHA-256 was issued by the store's CA or had its signature checked when it was
 * imported (that is what its {@code caId} says), so when that CA is trusted the signature is not
 * verified again at every handshake: the lookup the revocation check makes anyway tells the issuer.
 * Any other certificate is verified against every trusted CA.
 */
public final class AgentTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");

    /** The store now; null while it is gone (only its CAs, kept here, are checked then). */
    private final Supplier<CertificateStore> store;
    private final Clock clock;
    /** CA id → CA, in the store's order. */
    private volatile Map<Long, X509Certificate> cas = Map.of();

    /** Trusts no CA until {@link #trust} names them. */
    public AgentTrustManager(CertificateStore store, Clock clock) {
        this(() -> store, clock);
    }

    /**
     * With a store that may go: while it is gone a client certificate is checked against the CAs trusted last, with
     * no revocation check; the endpoint answers every request 503 meanwhile and takes a new TLS context (no such
     * session resumed) when the store is back.
     */
    public AgentTrustManager(Supplier<CertificateStore> store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The CAs (by their id in the store) to trust from the next handshake on. */
    public void trust(Map<Long, X509Certificate> trusted) {
        cas = Collections.unmodifiableMap(new LinkedHashMap<>(trusted));
    }

    public int trustedCount() {
        return cas.size();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refuse("no client certificate", null);
        }
        X509Certificate leaf = chain[0];
        CertificateStore current = store.get();
        Optional<CertificateInfo> known = current == null ? Optional.empty()
                : current.certificateByFingerprint(AgentMessages.fingerprint(leaf));
        X509Certificate issuer = issuer(leaf, known);
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
        if (known.isPresent() && known.get().revoked()) {
            throw refuse("revoked at " + known.get().revokedAt() + " (" + known.get().revocationReason() + ")", leaf);
        }
    }

    /** The trusted CA that signed this certificate, or null. */
    private X509Certificate issuer(X509Certificate leaf, Optional<CertificateInfo> known) {
        Map<Long, X509Certificate> current = cas;
        X509Certificate recorded = known.map(c -> current.get(c.caId())).orElse(null);
        if (recorded != null) {
            // byte-identical (same SHA-256) to a certificate the store signed or verified as this CA's
            return recorded;
        }
        for (X509Certificate ca : current.values()) {
            if (verifies(ca, leaf)) {
                return ca;
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
