package org.certwatch.source.tls.internal.revocation;

import java.io.IOException;
import java.net.URI;
import java.security.Provider;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;

/**
 * Whether the certificates an endpoint presents are revoked: by the OCSP responses it stapled, and, when asked, by
 * the CRLs their distribution points name. Thread-safe; one instance serves all probes and shares their CRLs.
 */
public final class RevocationCheck {
    private final Clock clock;
    private final StapledOcsp ocsp;
    private final CrlCache crls;
    private final Duration timeout;
    private final long maxCrlBytes;

    /**
     * @param clock the instant responses and CRLs must be current at
     * @param timeout for connecting to a distribution point, and for a whole CRL download
     * @param maxCrlBytes a larger CRL is not downloaded (REVOCATION_UNKNOWN)
     */
    public RevocationCheck(Clock clock, Duration timeout, long maxCrlBytes) {
        this.clock = clock;
        this.timeout = timeout;
        this.maxCrlBytes = maxCrlBytes;
        // an instance, not Security.addProvider: the bundle can be replaced without leaving it behind
        Provider bouncyCastle = new BouncyCastleProvider();
        this.ocsp = new StapledOcsp(bouncyCastle);
        this.crls = new CrlCache(clock, timeout, maxCrlBytes);
    }

    public Duration timeout() {
        return timeout;
    }

    public long maxCrlBytes() {
        return maxCrlBytes;
    }

    /**
     * @param chain leaf first, each certificate followed by its issuer; the trust anchor may end it (then the last
     *     certificate the server sent is checked too; a certificate without its issuer here cannot be)
     * @param stapledOcsp the stapled responses by position in the chain (what
     *     {@code ExtendedSSLSession.getStatusResponses()} gives), empty arrays where there is none
     * @param fetchCrl whether to fetch the CRLs of the chain's HTTP distribution points
     * @return REVOKED for each revoked certificate, REVOCATION_UNKNOWN with the reason for a stapled response that
     *     is not genuine or current, and (with {@code fetchCrl}) for a certificate whose CRL could not be had; a
     *     certificate that names no HTTP distribution point has no CRL to check and gets no finding
     */
    public List<Finding> check(List<X509Certificate> chain, List<byte[]> stapledOcsp, boolean fetchCrl) {
        Instant now = clock.instant();
        List<Finding> findings = new ArrayList<>();
        Set<Integer> revoked = new HashSet<>();
        for (int i = 0; i < Math.min(chain.size(), stapledOcsp.size()); i++) {
            byte[] response = stapledOcsp.get(i);
            if (response == null || response.length == 0) {
                continue;
            }
            String name = FindingTexts.certificate(i, chain.get(i));
            if (i + 1 == chain.size()) {
                findings.add(new Finding(FindingKind.REVOCATION_UNKNOWN, i,
                        name + ": stapled OCSP response not usable: the issuer is not in the chain"));
                continue;
            }
            int index = i;
            ocsp.check(response, chain.get(i), chain.get(i + 1), now).ifPresent(verdict -> {
                if (verdict.revoked()) {
                    revoked.add(index);
                }
                findings.add(new Finding(verdict.revoked() ? FindingKind.REVOKED : FindingKind.REVOCATION_UNKNOWN,
                        index, name + (verdict.revoked() ? " " : ": ") + verdict.text()));
            });
        }
        if (fetchCrl) {
            for (int i = 0; i + 1 < chain.size(); i++) {
                if (!revoked.contains(i)) {
                    checkCrl(i, chain.get(i), chain.get(i + 1), findings);
                }
            }
        }
        return List.copyOf(findings);
    }

    private void checkCrl(int index, X509Certificate certificate, X509Certificate issuer, List<Finding> findings) {
        List<URI> points = DistributionPoints.httpUris(certificate);
        String name = FindingTexts.certificate(index, certificate);
        List<String> failures = new ArrayList<>();
        for (URI point : points) {
            try {
                X509CRLEntry entry = crls.get(point, issuer).getRevokedCertificate(certificate);
                if (entry != null) {
                    findings.add(new Finding(FindingKind.REVOKED, index, name + " revoked on "
                            + entry.getRevocationDate().toInstant() + FindingTexts.reason(entry.getRevocationReason())
                            + " (CRL " + point + ")"));
                }
                return;
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            findings.add(new Finding(FindingKind.REVOCATION_UNKNOWN, index,
                    name + ": " + String.join("; ", failures)));
        }
    }
}
