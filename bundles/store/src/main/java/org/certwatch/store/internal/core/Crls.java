package org.certwatch.store.internal.core;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.pki.CrlMaker;

/** Each active CA's CRL: issued on every revocation, refreshed before it runs out, checked on open. */
final class Crls {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final StoreContext store;
    private final CrlMaker crlMaker;

    Crls(StoreContext store) {
        this.store = store;
        this.crlMaker = new CrlMaker(store.maker);
    }

    /**
     * Signs a new CRL with the next number, writes it durably, then journals its number: a crash in
     * between leaves a valid CRL whose number the next open takes over.
     */
    void reissue(CaState ca) throws IOException {
        synchronized (ca.crlLock) {
            Instant now = store.now();
            long number = ca.crlNumber + 1;
            List<CrlMaker.Revocation> revoked = new ArrayList<>();
            for (long id : store.index.revokedBy(ca.info.id())) {
                CertificateInfo c = store.index.certState(id).info();
                revoked.add(new CrlMaker.Revocation(c.serial(), c.revokedAt(), c.revocationReason().code()));
            }
            revoked.sort(Comparator.comparing(CrlMaker.Revocation::serial));
            Instant nextUpdate = now.plus(store.settings().crlValidity());
            X509CRLHolder crl = crlMaker.sign(ca.certificate, store.caKey(ca), number, now, nextUpdate, revoked);
            store.backend.writeCrl(ca.info.id(), crl.getEncoded());
            store.commit(List.of(new Entry.CrlIssued(ca.info.id(), number, now, nextUpdate)));
            ca.crlNumber = number;
            ca.crlNextUpdate = nextUpdate;
        }
    }

    /**
     * Re-issues every CRL of which less than a third of its validity remains (call it periodically). Each CA's
     * check and re-issue is one change, so of several servers sharing the store one re-issues it.
     */
    int refresh() {
        return store.lifecycle.shared(() -> {
            if (store.lifecycle.isClosed()) {
                return 0;
            }
            int refreshed = 0;
            Instant threshold = store.now().plus(store.settings().crlValidity().dividedBy(3));
            for (CaState ca : store.index.caStates()) {
                if (due(ca, threshold)) {
                    try {
                        if (store.backend.exclusively(() -> due(ca, threshold) && reissued(ca))) {
                            refreshed++;
                        }
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.WARNING, "cannot re-issue the CRL of CA " + ca.info.id(), e);
                    }
                }
            }
            return refreshed;
        });
    }

    private static boolean due(CaState ca, Instant threshold) {
        Instant next = ca.crlNextUpdate;
        return ca.info.status() == CaStatus.ACTIVE && (next == null || !next.isAfter(threshold));
    }

    private boolean reissued(CaState ca) throws IOException {
        reissue(ca);
        return true;
    }

    byte[] crl(long caId, boolean pem) {
        store.index.requireCa(caId);
        try {
            return store.backend.readCrl(caId, pem);
        } catch (IOException e) {
            throw new CertificateStoreException("CA " + caId + " has no CRL (" + e.getMessage() + ")", e);
        }
    }

    /**
     * On open: every CA that can sign gets a CRL that matches the journal; a missing or stale one is re-issued. One
     * change per CA, so another server sharing the store cannot revoke between the comparison and the new CRL.
     */
    void check() throws IOException {
        for (CaState ca : store.index.caStates()) {
            store.backend.exclusively(() -> {
                check(ca);
                return null;
            });
        }
    }

    private void check(CaState ca) throws IOException {
        if (ca.info.status() != CaStatus.ACTIVE) {
            return;
        }
        boolean current = false;
        try {
            Optional<byte[]> stored = store.backend.storedCrl(ca.info.id());
            if (stored.isPresent()) {
                X509CRLHolder crl = new X509CRLHolder(stored.get());
                long number = crlNumber(crl);
                Set<BigInteger> listed = new HashSet<>();
                crl.getRevokedCertificates().forEach(e -> listed.add(((X509CRLEntryHolder) e).getSerialNumber()));
                current = listed.equals(store.index.revokedSerials(ca.info.id())) && number >= ca.crlNumber
                        && crl.getNextUpdate() != null;
                ca.crlNumber = Math.max(ca.crlNumber, number);
                if (current) {
                    ca.crlNextUpdate = crl.getNextUpdate().toInstant();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("CRL " + store.backend.crlName(ca.info.id()) + " is unreadable (" + e.getMessage()
                    + "); issuing a new one");
        }
        if (!current) {
            reissue(ca);
        }
    }

    private static long crlNumber(X509CRLHolder crl) {
        Extension e = crl.getExtension(Extension.cRLNumber);
        return e == null ? 0 : CRLNumber.getInstance(e.getParsedValue()).getCRLNumber().longValueExact();
    }
}
