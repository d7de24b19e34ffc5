package org.certwatch.store.internal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.store.internal.pki.Pem;
import org.certwatch.store.internal.pki.Pkcs12Writer;

/** Certificates and CAs out of the store: PEM, DER, the chain, or PKCS#12 with the key (audited). */
final class Export {
    private final StoreContext store;
    private final Pkcs12Writer pkcs12;

    Export(StoreContext store, Pkcs12Writer pkcs12) {
        this.store = store;
        this.pkcs12 = pkcs12;
    }

    /** The DER certificate bytes as stored. */
    byte[] certificateBytes(long certificateId) {
        return store.lifecycle.shared(() -> {
            CertState s = store.index.certState(certificateId);
            if (s == null) {
                throw new CertificateStoreException("there is no certificate with id " + certificateId);
            }
            try {
                return store.backend.read(s.certificatePosition(), s.certificateLength());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    byte[] caCertificateBytes(long caId) {
        return StoreContext.encoded(store.index.requireCa(caId).certificate);
    }

    byte[] export(long certificateId, ExportFormat format, char[] password, String actor) {
        CertificateInfo info = store.index.requireCertificate(certificateId);
        byte[] der = certificateBytes(certificateId);
        CaState ca = store.index.caState(info.caId());
        switch (format) {
            case PEM:
                return Pem.encode("CERTIFICATE", der);
            case DER:
                return der;
            case PEM_CHAIN: {
                byte[] leaf = Pem.encode("CERTIFICATE", der);
                if (ca == null) {
                    return leaf;
                }
                byte[] issuer = Pem.encode("CERTIFICATE", StoreContext.encoded(ca.certificate));
                byte[] both = Arrays.copyOf(leaf, leaf.length + issuer.length);
                System.arraycopy(issuer, 0, both, leaf.length, issuer.length);
                return both;
            }
            case PKCS12:
                return store.audited.run(actor, info.hasKey() ? "certificate.export-key" : "certificate.export",
                        () -> "certificate:" + certificateId, () -> {
                            requirePassword(password);
                            List<X509CertificateHolder> chain = new ArrayList<>();
                            chain.add(new X509CertificateHolder(der));
                            if (ca != null) {
                                chain.add(ca.certificate);
                            }
                            return pkcs12.write(info.subject(), info.hasKey()
                                    ? store.lifecycle.shared(() -> store.privateKey(certificateId)) : null, chain,
                                    password);
                        }, b -> "ok: PKCS#12");
            default:
                throw new CertificateStoreException("unknown export format " + format);
        }
    }

    byte[] exportCa(long caId, ExportFormat format, char[] password, String actor) {
        CaState ca = store.index.requireCa(caId);
        byte[] der = StoreContext.encoded(ca.certificate);
        switch (format) {
            case PEM:
            case PEM_CHAIN:
                return Pem.encode("CERTIFICATE", der);
            case DER:
                return der;
            case PKCS12:
                return store.audited.run(actor, "ca.export-key", () -> "ca:" + caId, () -> {
                    requirePassword(password);
                    return pkcs12.write(ca.info.subject(), store.caKey(ca), List.of(ca.certificate), password);
                }, b -> "ok: PKCS#12");
            default:
                throw new CertificateStoreException("unknown export format " + format);
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new CertificateStoreException("a PKCS#12 export needs a password");
        }
    }
}
