package org.certwatch.web.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.store.CertificateInfo;

/**
 * The probe gauges of ssl_exporter for the watched endpoint locations a user sees: {@code ssl_probe_success},
 * {@code ssl_prober}, {@code ssl_tls_version_info}, {@code ssl_probe_duration_seconds} per location, and per
 * certificate of the chain it presented {@code ssl_cert_not_after}/{@code ssl_cert_not_before} with ssl_exporter's
 * {@code cn}, {@code issuer_cn} and {@code serial_no} (decimal, as its Go {@code big.Int.String()} writes it). Every
 * series carries {@code source} and {@code location} (the endpoint's address). A failing endpoint has
 * {@code ssl_probe_success 0} and no handshake series; gone or unwatched ones have none.
 */
final class ProbeMetrics {
    static final ProbeMetrics NONE = new ProbeMetrics(List.of());

    private final List<Location> endpoints;

    private ProbeMetrics(List<Location> endpoints) {
        this.endpoints = endpoints;
    }

    static ProbeMetrics of(LocationRegistry registry, UserScope scope) {
        if (registry == null) {
            return NONE;
        }
        List<Location> visible = new ArrayList<>();
        for (Location l : registry.locations(LocationQuery.all())) {
            if (l.ref().kind() == LocationKind.ENDPOINT && scope.seesCertificatesOf(l.ref().homeGroup())
                    && (l.state() == LocationState.OK || l.state() == LocationState.FAILING)) {
                visible.add(l);
            }
        }
        return new ProbeMetrics(visible);
    }

    /** @param rows the scrape's visible certificates (a chain's certificate hidden from the user has no series) */
    void render(Writer b, List<Views.Row> rows) throws IOException {
        if (endpoints.isEmpty()) {
            return;
        }
        Map<Long, CertificateInfo> certificates = new HashMap<>();
        for (Views.Row r : rows) {
            certificates.put(r.certificate().id(), r.certificate());
        }
        header(b, "ssl_probe_success", "1 when the endpoint's last check completed a TLS handshake, else 0");
        for (Location l : endpoints) {
            series(b, "ssl_probe_success", l, "", l.state() == LocationState.OK ? "1" : "0");
        }
        header(b, "ssl_prober", "The prober used for the endpoint (always 1)");
        for (Location l : endpoints) {
            series(b, "ssl_prober", l, "prober=\"tcp\",protocol=\"" + protocol(l) + "\",", "1");
        }
        header(b, "ssl_tls_version_info", "The TLS version the endpoint's last successful check negotiated (always 1)");
        for (Location l : handshaken()) {
            series(b, "ssl_tls_version_info", l, "version=\"" + Metrics.label(l.probe().protocol()) + "\",", "1");
        }
        header(b, "ssl_probe_duration_seconds", "Connect, STARTTLS and handshake of the last successful check");
        for (Location l : handshaken()) {
            series(b, "ssl_probe_duration_seconds", l, "", Double.toString(l.probe().duration().toNanos() / 1e9));
        }
        chain(b, "ssl_cert_not_after", "NotAfter of each certificate the endpoint presented, Unix seconds",
                certificates, true);
        chain(b, "ssl_cert_not_before", "NotBefore of each certificate the endpoint presented, Unix seconds",
                certificates, false);
    }

    private List<Location> handshaken() {
        return endpoints.stream().filter(l -> l.state() == LocationState.OK && l.probe() != null).toList();
    }

    private void chain(Writer b, String name, String help, Map<Long, CertificateInfo> certificates, boolean notAfter)
            throws IOException {
        header(b, name, help);
        for (Location l : endpoints) {
            List<Long> ids = new ArrayList<>();
            if (l.certificateId() != 0) {
                ids.add(l.certificateId());
            }
            ids.addAll(l.chainIds());
            for (long id : ids) {
                CertificateInfo c = certificates.get(id);
                if (c != null) {
                    series(b, name, l, "cn=\"" + Metrics.label(Metrics.commonName(c.subject())) + "\",issuer_cn=\""
                            + Metrics.label(Metrics.commonName(c.issuer())) + "\",serial_no=\"" + c.serial() + "\",",
                            Long.toString((notAfter ? c.notAfter() : c.notBefore()).getEpochSecond()));
                }
            }
        }
    }

    /** The scheme of the endpoint's address ({@code tls}, {@code smtp}, …): direct TLS or the STARTTLS flavour. */
    private static String protocol(Location l) {
        String a = l.ref().address();
        int scheme = a.indexOf("://");
        return scheme > 0 ? a.substring(0, scheme).toLowerCase(Locale.ROOT) : "tls";
    }

    private static void header(Writer b, String name, String help) throws IOException {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void series(Writer b, String name, Location l, String labels, String value) throws IOException {
        b.append(name).append('{').append(labels).append("source=\"").append(Metrics.label(l.ref().source()))
                .append("\",location=\"").append(Metrics.label(l.ref().address())).append("\"} ").append(value)
                .append('\n');
    }
}
