package org.certwatch.store.internal.core;

import org.certwatch.api.store.CertificateInfo;

/**
 * A certificate in memory: its public record plus where its DER and encrypted key sit in the
 * journal (the bytes stay on disk, so 100,000 certificates fit a small heap).
 */
record CertState(CertificateInfo info, long certificatePosition, int certificateLength, long keyPosition,
        int keyLength) {

    CertState with(CertificateInfo changed) {
        return new CertState(changed, certificatePosition, certificateLength, keyPosition, keyLength);
    }
}
