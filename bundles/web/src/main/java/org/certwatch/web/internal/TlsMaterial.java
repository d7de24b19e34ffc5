package org.certwatch.web.internal;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.SecureRandom;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ExportFormat;

/**
 * The server certificate's key material for Jetty, taken through the store's ordinary PKCS#12
 * export under a one-time random password (the key never touches the disk here).
 */
record TlsMaterial(KeyStore keyStore, String password, CertificateInfo certificate) {
    static TlsMaterial load(CertificateStore store) throws Exception {
        CertificateInfo cert = store.serverCertificate()
                .orElseThrow(() -> new IllegalStateException("the store has no server certificate"));
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = java.util.Base64.getEncoder().encodeToString(random);
        byte[] p12 = store.export(cert.id(), ExportFormat.PKCS12, password.toCharArray(), "system");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(p12), password.toCharArray());
        return new TlsMaterial(ks, password, cert);
    }
}
