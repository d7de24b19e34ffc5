package org.certwatch.source.tls.internal;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/** Certificates trusted as the end of a chain, looked up by subject. Immutable. */
final class TrustAnchors {
    private final Map<X500Principal, List<X509Certificate>> bySubject;

    TrustAnchors(List<X509Certificate> anchors) {
        Map<X500Principal, List<X509Certificate>> map = new HashMap<>();
        for (X509Certificate c : anchors) {
            map.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        this.bySubject = Map.copyOf(map);
    }

    /** The JDK's trust store (cacerts, or what {@code javax.net.ssl.trustStore} names). */
    static List<X509Certificate> jdk() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return Arrays.asList(x.getAcceptedIssuers());
                }
            }
            return List.of();
        } catch (Exception e) {
            throw new IllegalStateException("the JDK's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    /** These anchors and {@code more}. */
    TrustAnchors with(List<X509Certificate> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<X509Certificate> all = new ArrayList<>(more);
        bySubject.values().forEach(all::addAll);
        return new TrustAnchors(all);
    }

    /** An anchor that signed {@code cert}, or null. */
    X509Certificate issuerOf(X509Certificate cert) {
        for (X509Certificate anchor : bySubject.getOrDefault(cert.getIssuerX500Principal(), List.of())) {
            if (Chains.signedBy(cert, anchor)) {
                return anchor;
            }
        }
        return null;
    }

    boolean contains(X509Certificate cert) {
        return bySubject.getOrDefault(cert.getSubjectX500Principal(), List.of()).contains(cert);
    }
}
