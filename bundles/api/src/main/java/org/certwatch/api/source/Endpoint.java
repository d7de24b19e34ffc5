package org.certwatch.api.source;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A TLS endpoint the TLS probe source checks (feature {@code tls-probe}).
 *
 * @param id assigned on create (ignored then), stable afterwards
 * @param host a DNS name or an IPv4/IPv6 literal (without brackets)
 * @param port 1–65535
 * @param sniName the server name sent in the handshake and matched against the leaf; empty: {@code host}, none
 *     when {@code host} is an address literal
 * @param protocol direct TLS or a STARTTLS flavour
 * @param homeGroup the group of its location and certificates
 * @param interval between checks; null: the source's default
 * @param extraCaPem PEM certificates trusted for this endpoint besides the JDK's and certwatch's CAs; empty: none
 * @param checkCrl whether the CRLs named in the chain's distribution points are fetched and checked
 * @param description free text for the page
 */
public record Endpoint(String id, String host, int port, String sniName, EndpointProtocol protocol,
        String homeGroup, Duration interval, String extraCaPem, boolean checkCrl, String description,
        Instant createdAt) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(homeGroup, "homeGroup");
        sniName = sniName == null ? "" : sniName;
        extraCaPem = extraCaPem == null ? "" : extraCaPem;
        description = description == null ? "" : description;
    }

    /**
     * The endpoint's {@link LocationRef#address()}: {@code protocol://host:port}, with {@code #sni} when the SNI
     * name is not the host, an IPv6 host in brackets; e.g. {@code smtp://mail.example.org:587},
     * {@code tls://[2001:db8::7]:443#www.example.org}.
     */
    public String address() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String base = protocol.name().toLowerCase(Locale.ROOT) + "://" + h + ":" + port;
        return sniName.isEmpty() || sniName.equalsIgnoreCase(host) ? base : base + "#" + sniName;
    }
}
