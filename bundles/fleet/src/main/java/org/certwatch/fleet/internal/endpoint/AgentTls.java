package org.certwatch.fleet.internal.endpoint;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.TlsIdentity;

/**
 * Builds the agent endpoint's TLS context from the store: the current server certificate, and the
 * endpoint's one trust manager brought up to the store's CAs.
 */
public final class AgentTls {
    /** How long the endpoint resumes a TLS session. */
    static final int SESSION_SECONDS = 3600;

    private AgentTls() {
    }

    public record Context(SSLContext context, long serverCertificateId, int trustedCas) {
    }

    public static Context build(CertificateStore store, AgentTrustManager trust) throws GeneralSecurityException {
        CertificateInfo server = store.serverCertificate()
                .orElseThrow(() -> new GeneralSecurityException("the store has no server certificate"));
        TlsIdentity identity = store.tlsIdentity(server.id())
                .orElseThrow(() -> new GeneralSecurityException("the store holds no key for server certificate " + server.id()));
        char[] password = "in-memory".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try {
            keys.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        keys.setKeyEntry("server", identity.privateKey(), password, identity.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        trust.trust(trustedCas(store));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {trust}, new SecureRandom());
        // a resumed session (TLS 1.3 ticket, TLS 1.2 ticket or session id) is at most an hour old
        context.getServerSessionContext().setSessionTimeout(SESSION_SECONDS);
        return new Context(context, server.id(), trust.trustedCount());
    }

    /** Every CA of the store that is not deleted, by id: old and new are trusted together during a rollover. */
    public static Map<Long, X509Certificate> trustedCas(CertificateStore store) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Map<Long, X509Certificate> out = new LinkedHashMap<>();
        for (CaInfo ca : store.cas()) {
            if (ca.status() == CaStatus.DELETED) {
                continue;
            }
            byte[] der = store.exportCa(ca.id(), ExportFormat.DER, null, AgentMessages.ACTOR);
            out.put(ca.id(), (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return out;
    }
}
