package org.certwatch.store.internal.pki;

import java.security.Provider;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.commons.certs.CertificateContainers;
import org.certwatch.commons.certs.Container;
import org.certwatch.commons.certs.ContainerException;
import org.certwatch.commons.certs.ContainerLimits;

/**
 * Reads what users import (PEM, DER, PKCS#12, JKS, JCEKS; keys when asked) with the shared reader, within its
 * default bounds; a refusal becomes a {@link CertificateStoreException} saying what is wrong with the input.
 */
public final class ImportReader {
    private final CertificateContainers containers;

    public ImportReader(Provider bouncyCastle) {
        this.containers = new CertificateContainers(bouncyCastle);
    }

    /** @param what names the input in a refusal, e.g. "the import" */
    public Container read(byte[] data, char[] password, boolean withKeys, String what) {
        try {
            return containers.read(data, password, ContainerLimits.DEFAULT, withKeys, what);
        } catch (ContainerException e) {
            throw new CertificateStoreException(e.getMessage(), e);
        }
    }
}
