package org.certwatch.commons.certs;

/**
 * The bounds a read keeps to, so a hostile container costs bounded time and memory.
 *
 * @param maxBytes the largest container read
 * @param maxAliases the most keystore entries
 * @param maxCertificates the most certificates (and PKCS#12 bags) in all
 */
public record ContainerLimits(int maxBytes, int maxAliases, int maxCertificates) {
    public static final ContainerLimits DEFAULT = new ContainerLimits(4 * 1024 * 1024, 1000, 1000);
}
