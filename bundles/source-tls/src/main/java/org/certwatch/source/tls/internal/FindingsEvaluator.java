package org.certwatch.source.tls.internal;

import java.security.PublicKey;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;

/**
 * What is wrong with a presented chain besides the leaf's own expiry (which the monitor watches): trust, the host
 * name, the other certificates' validity, key sizes and signature algorithms. Pure: the same chain, name, instant,
 * window and anchors give the same findings.
 */
final class FindingsEvaluator {
    private static final int MIN_RSA_DSA_BITS = 2048;
    private static final int MIN_EC_BITS = 256;

    private FindingsEvaluator() {
    }

    /** The findings that depend on the chain, the name and the anchors alone, in {@link #evaluate}'s order. */
    record Stable(List<Finding> chainAndName, List<Finding> keysAndSignatures) {
    }

    /**
     * @param chain as presented, leaf first
     * @param name the SNI name, else the host, the leaf must be for
     * @param warning the window before a chain certificate's notAfter that makes it a finding
     */
    static List<Finding> evaluate(List<X509Certificate> chain, String name, Instant now, Duration warning,
            TrustAnchors anchors) {
        return evaluate(stable(chain, name, anchors), chain, now, warning);
    }

    /** The stable findings with those of the chain's validity at {@code now}. */
    static List<Finding> evaluate(Stable stable, List<X509Certificate> chain, Instant now, Duration warning) {
        List<Finding> out = new ArrayList<>(stable.chainAndName());
        for (int i = 0; i < chain.size(); i++) {
            validity(chain.get(i), i, now, warning, out);
        }
        out.addAll(stable.keysAndSignatures());
        return List.copyOf(out);
    }

    /** Trust, the host name, keys and signatures: the same for the same chain, name and anchors at any time. */
    static Stable stable(List<X509Certificate> chain, String name, TrustAnchors anchors) {
        List<Finding> chainAndName = new ArrayList<>();
        X509Certificate leaf = chain.get(0);
        trust(chain, anchors, chainAndName);
        if (!HostNames.matches(leaf, name)) {
            chainAndName.add(new Finding(FindingKind.HOST_MISMATCH, 0, "the leaf " + subject(leaf) + " is for "
                    + String.join(", ", HostNames.names(leaf)) + ", not " + name));
        }
        List<Finding> keysAndSignatures = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            keySize(c, i, keysAndSignatures);
            if (!(i > 0 && Chains.selfSigned(c))) {
                signature(c, i, keysAndSignatures);
            }
        }
        return new Stable(List.copyOf(chainAndName), List.copyOf(keysAndSignatures));
    }

    /** Follows the chain as presented to an anchor; at most one finding about trust. */
    private static void trust(List<X509Certificate> chain, TrustAnchors anchors, List<Finding> out) {
        X509Certificate leaf = chain.get(0);
        if (Chains.selfSigned(leaf)) {
            if (!anchors.contains(leaf)) {
                out.add(new Finding(FindingKind.SELF_SIGNED, 0, "the leaf " + subject(leaf) + " is self-signed"));
            }
            return;
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            if (anchors.contains(c) || anchors.issuerOf(c) != null) {
                return;
            }
            if (Chains.selfSigned(c)) {
                out.add(new Finding(FindingKind.CHAIN_UNTRUSTED, i, "the chain ends at " + subject(c)
                        + ", a root that is not trusted"));
                return;
            }
            boolean next = i + 1 < chain.size() && Chains.signedBy(c, chain.get(i + 1));
            if (!next) {
                out.add(new Finding(FindingKind.CHAIN_INCOMPLETE, -1, "the chain is incomplete: the issuer "
                        + c.getIssuerX500Principal().getName() + " of " + role(i) + " " + subject(c)
                        + " is neither sent nor trusted"));
                return;
            }
        }
    }

    private static void validity(X509Certificate c, int i, Instant now, Duration warning, List<Finding> out) {
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            out.add(new Finding(FindingKind.NOT_YET_VALID, i, role(i) + " " + subject(c) + " is not valid before "
                    + day(notBefore)));
        } else if (i > 0 && !now.isBefore(notAfter)) {
            out.add(new Finding(FindingKind.CHAIN_CERTIFICATE_EXPIRED, i, role(i) + " " + subject(c) + " expired on "
                    + day(notAfter)));
        } else if (i > 0 && !now.isBefore(notAfter.minus(warning))) {
            long days = Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400L);
            out.add(new Finding(FindingKind.CHAIN_CERTIFICATE_EXPIRING, i, role(i) + " " + subject(c)
                    + " expires in " + days + " days (" + day(notAfter) + ")"));
        }
    }

    private static void keySize(X509Certificate c, int i, List<Finding> out) {
        PublicKey key = c.getPublicKey();
        int bits = -1;
        int minimum = MIN_RSA_DSA_BITS;
        if (key instanceof RSAKey rsa) {
            bits = rsa.getModulus().bitLength();
        } else if (key instanceof DSAKey dsa && dsa.getParams() != null) {
            bits = dsa.getParams().getP().bitLength();
        } else if (key instanceof ECKey ec) {
            bits = ec.getParams().getOrder().bitLength();
            minimum = MIN_EC_BITS;
        }
        if (bits > 0 && bits < minimum) {
            out.add(new Finding(FindingKind.WEAK_KEY, i, role(i) + " " + subject(c) + " has a " + bits + "-bit "
                    + key.getAlgorithm() + " key (below " + minimum + ")"));
        }
    }

    private static void signature(X509Certificate c, int i, List<Finding> out) {
        String alg = c.getSigAlgName().toUpperCase(Locale.ROOT);
        if (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2")) {
            out.add(new Finding(FindingKind.WEAK_SIGNATURE, i, role(i) + " " + subject(c) + " is signed with "
                    + c.getSigAlgName()));
        }
    }

    static String role(int i) {
        return i == 0 ? "the leaf" : "intermediate";
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
