package org.certwatch.web.internal;

import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.TlsIdentity;

/**
 * The server certificate's key material for Jetty: the store's {@link TlsIdentity} in an in-memory
 * key store under a one-time random password (the key never touches the disk here, and loading it is
 * not a key export).
 */
record TlsMaterial(KeyStore keyStore, String password, CertificateInfo certificate) {
    static TlsMaterial load(CertificateStore store) throws Exception {
        CertificateInfo cert = store.serverCertificate()
                .orElseThrow(() -> new IllegalStateException("the store has no server certificate"));
        TlsIdentity identity = store.tlsIdentity(cert.id())
                .orElseThrow(() -> new IllegalStateException("the store holds no key for server certificate " + cert.id()));
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getEncoder().encodeToString(random);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", identity.privateKey(), password.toCharArray(),
                identity.chain().toArray(new Certificate[0]));
        return new TlsMaterial(keyStore, password, cert);
    }
}
