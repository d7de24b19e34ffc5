package org.certwatch.store.internal.core;

import java.security.PrivateKey;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.store.CaInfo;

/** A CA in memory: its public record, its certificate, its decrypted key (cached) and CRL counters. */
final class CaState {
    final X509CertificateHolder certificate;
    final Object crlLock = new Object();
    volatile CaInfo info;
    volatile PrivateKey key;
    /** The certificate parsed for JCA once (it never changes): every key delivery's chain ends with it. */
    volatile java.security.cert.X509Certificate jcaCertificate;
    volatile long crlNumber;
    volatile java.time.Instant crlNextUpdate;

    CaState(CaInfo info, X509CertificateHolder certificate) {
        this.info = info;
        this.certificate = certificate;
    }
}
