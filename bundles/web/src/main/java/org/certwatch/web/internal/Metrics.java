package org.certwatch.web.internal;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.source.Location;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.Expiry;
import org.certwatch.api.store.OpenSslText;

/**
 * {@code GET /metrics} in the Prometheus text format (0.0.4). The certificate gauges use the names
 * and labels of x509-certificate-exporter ({@code subject_CN}, {@code issuer_CN},
 * {@code serial_number}, in decimal as its Go {@code big.Int.String()} writes it), plus {@code serial} (as
 * {@code openssl x509 -serial} prints it), {@code role} and {@code group}, so existing dashboards work. CAs
 * (not deleted) have series too, with {@code role="CA"}. A
 * certificate held at watched locations has one series per location, labelled {@code source} and {@code location}
 * (see {@link LocationLabels}); {@code x509_read_errors} counts the visible locations that cannot be read. TLS
 * endpoints also have ssl_exporter's probe gauges ({@link ProbeMetrics}).
 */
final class Metrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");
    private static final byte[] NOT_AFTER = ascii("x509_cert_not_after");
    private static final byte[] NOT_BEFORE = ascii("x509_cert_not_before");
    private static final byte[] EXPIRED = ascii("x509_cert_expired");
    private static final byte[] EXPIRES_IN = ascii("x509_cert_expires_in_seconds");

    final AtomicLong logins = new AtomicLong();
    final AtomicLong loginFailures = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    private final SeriesLabels seriesLabels = new SeriesLabels();

    private final Views views;
    private final Services services;

    Metrics(Views views, Services services) {
        this.views = views;
        this.services = services;
    }

    /**
     * The scrape, written as it is produced: at 100,000 certificates the text is some 70 MB, which a
     * scrape must not hold in memory (the gzip stream behind it keeps a buffer's worth). Only the values
     * are made per scrape; each certificate's labels come from {@link SeriesLabels}.
     */
    Exchange.Producer render(UserScope scope) {
        Instant now = views.now();
        // a renewed, superseded or retired certificate is not in use: an alert rule on it would fire forever
        // (x509-certificate-exporter drops a replaced file's certificate the same way)
        List<Views.Row> rows = views.certificates(scope, Views.CertificateFilter.none()).stream()
                .filter(r -> r.certificate().successorId() == 0 && !r.certificate().retired()).toList();
        LocationLabels where = LocationLabels.of(services.locations().orElse(null), scope);
        ProbeMetrics probes = ProbeMetrics.of(services.locations().orElse(null), scope);
        List<Views.Row> cas = views.cas(scope, null).stream().filter(r -> r.ca().status() != CaStatus.DELETED).toList();
        List<Views.ComputerRow> computers = views.computers(scope);
        return out -> {
            Exposition b = new Exposition(out);
            long scrape = seriesLabels.start();
            byte[][] labels = new byte[rows.size()][];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = seriesLabels.of(rows.get(i).certificate(), scrape);
            }
            header(b, "x509_cert_not_after", "Certificate notAfter as a Unix timestamp in seconds", "gauge");
            for (int i = 0; i < labels.length; i++) {
                CertificateInfo c = rows.get(i).certificate();
                sample(b, NOT_AFTER, c.id(), labels[i], c.notAfter().getEpochSecond(), where);
            }
            for (Views.Row r : cas) {
                sample(b, "x509_cert_not_after", r.ca(), r.ca().notAfter().getEpochSecond());
            }
            header(b, "x509_cert_not_before", "Certificate notBefore as a Unix timestamp in seconds", "gauge");
            for (int i = 0; i < labels.length; i++) {
                CertificateInfo c = rows.get(i).certificate();
                sample(b, NOT_BEFORE, c.id(), labels[i], c.notBefore().getEpochSecond(), where);
            }
            for (Views.Row r : cas) {
                sample(b, "x509_cert_not_before", r.ca(), r.ca().notBefore().getEpochSecond());
            }
            header(b, "x509_cert_expired", "1 when the certificate has expired, else 0", "gauge");
            for (int i = 0; i < labels.length; i++) {
                sample(b, EXPIRED, rows.get(i).certificate().id(), labels[i],
                        rows.get(i).status() == ExpiryStatus.EXPIRED ? 1 : 0, where);
            }
            for (Views.Row r : cas) {
                sample(b, "x509_cert_expired", r.ca(), r.status() == ExpiryStatus.EXPIRED ? 1 : 0);
            }
            header(b, "x509_cert_expires_in_seconds", "Seconds until the certificate expires (negative once expired)",
                    "gauge");
            for (int i = 0; i < labels.length; i++) {
                CertificateInfo c = rows.get(i).certificate();
                sample(b, EXPIRES_IN, c.id(), labels[i], Expiry.secondsLeft(now, c.notAfter()), where);
            }
            for (Views.Row r : cas) {
                sample(b, "x509_cert_expires_in_seconds", r.ca(), Expiry.secondsLeft(now, r.ca().notAfter()));
            }
            probes.render(b, rows);
            if (where.present()) {
                header(b, "x509_read_errors", "Watched locations that cannot be read now", "gauge");
                b.append("x509_read_errors ").append(Long.toString(where.readErrors())).append('\n');
            }
            header(b, "certwatch_certificates", "Visible certificates by status", "gauge");
            long[] counts = new long[ExpiryStatus.values().length];
            rows.forEach(r -> counts[r.status().ordinal()]++);
            for (ExpiryStatus s : ExpiryStatus.values()) {
                b.append("certwatch_certificates{status=\"").append(s.name()).append("\"} ")
                        .append(Long.toString(counts[s.ordinal()])).append('\n');
            }
            header(b, "certwatch_computers", "Visible computers by status (SILENT: its agent stopped replicating)",
                    "gauge");
            long[] byStatus = new long[ComputerStatus.values().length];
            computers.forEach(c -> byStatus[c.status().ordinal()]++);
            for (ComputerStatus s : ComputerStatus.values()) {
                b.append("certwatch_computers{status=\"").append(s.name()).append("\"} ")
                        .append(Long.toString(byStatus[s.ordinal()])).append('\n');
            }
            counter(b, "certwatch_web_logins_total", "Successful web logins since the web bundle started", logins.get());
            counter(b, "certwatch_web_login_failures_total", "Failed web logins since the web bundle started",
                    loginFailures.get());
            counter(b, "certwatch_web_requests_total", "HTTP requests served since the web bundle started",
                    requests.get());
            sources(b);
            b.flush();
            seriesLabels.finish(scrape);
        };
    }

    /**
     * One whole scrape as the server sees it, written nowhere, so the first scrape Prometheus makes finds
     * every certificate's labels made and the code that writes them compiled (cold, the first scrape of
     * 100,000 certificates took 20.6 s under load; warm ones 2.5 s). {@code sink} may throw to cut it short.
     */
    void warm(java.io.OutputStream sink) throws IOException {
        render(UserScope.system()).write(sink);
    }

    /** Labels for every certificate the store holds now (after a change): {@link SeriesLabels#prepare}. */
    int prepareLabels(java.util.function.BooleanSupplier stopping) {
        int n = 0;
        for (CertificateInfo c : services.store().certificates(org.certwatch.api.store.CertificateQuery.all())) {
            if (stopping.getAsBoolean()) {
                break;
            }
            if (c.successorId() == 0 && !c.retired()) { // as render leaves them out
                seriesLabels.prepare(c);
                n++;
            }
        }
        return n;
    }

    /** How many certificates' labels are kept (for the log and tests). */
    int labelsKept() {
        return seriesLabels.size();
    }

    /**
     * The other bundles' samples (whiteboard {@link MetricSource}s), grouped by metric name with one
     * HELP/TYPE each. A source that fails or repeats a name with another type is left out and logged,
     * so one bad source never breaks the scrape.
     */
    private void sources(Writer b) throws IOException {
        Map<String, List<MetricSample>> byName = new TreeMap<>();
        for (MetricSource source : services.metricSources()) {
            try {
                for (MetricSample s : source.samples()) {
                    List<MetricSample> same = byName.computeIfAbsent(s.name(), n -> new ArrayList<>());
                    if (!same.isEmpty() && same.get(0).kind() != s.kind()) {
                        LOG.warning("metrics: " + s.name() + " is both a " + same.get(0).kind() + " and a " + s.kind()
                                + "; the second is left out");
                        continue;
                    }
                    same.add(s);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metrics: a metric source failed: " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, List<MetricSample>> e : byName.entrySet()) {
            String name = e.getKey();
            List<MetricSample> samples = e.getValue();
            header(b, name, samples.get(0).help(), samples.get(0).kind() == MetricSample.Kind.COUNTER ? "counter" : "gauge");
            for (MetricSample s : samples) {
                b.append(name);
                if (!s.labels().isEmpty()) {
                    char separator = '{';
                    for (Map.Entry<String, String> l : new TreeMap<>(s.labels()).entrySet()) {
                        b.append(separator).append(l.getKey()).append("=\"").append(label(l.getValue())).append('"');
                        separator = ',';
                    }
                    b.append('}');
                }
                b.append(' ').append(number(s.value())).append('\n');
            }
        }
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
    }

    private static void header(Writer b, String name, String help, String type) throws IOException {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(Writer b, String name, String help, long value) throws IOException {
        header(b, name, help, "counter");
        b.append(name).append(' ').append(Long.toString(value)).append('\n');
    }

    /** One series, or one per watched location holding the certificate; {@code labels} from {@link SeriesLabels}. */
    private static void sample(Exposition b, byte[] name, long certificateId, byte[] labels, long value,
            LocationLabels where) throws IOException {
        List<Location> held = where.holding(certificateId);
        if (held.isEmpty()) {
            b.bytes(name).bytes(labels).ascii('}').ascii(' ').number(value).ascii('\n');
        }
        for (Location l : held) {
            b.bytes(name).bytes(labels);
            b.append(",source=\"").append(label(l.ref().source())).append("\",location=\"")
                    .append(label(l.ref().address())).append("\"} ");
            b.number(value).ascii('\n');
        }
    }

    /** A CA's series: role "CA"; its issuer is itself unless it was imported (then unknown, as in the MIB). */
    private static void sample(Writer b, String name, CaInfo ca, long value) throws IOException {
        b.append(name).append("{subject_CN=\"").append(label(commonName(ca.subject())))
                .append("\",issuer_CN=\"").append(ca.imported() ? "" : label(commonName(ca.subject())))
                .append("\",serial_number=\"").append(ca.serial().toString())
                .append("\",serial=\"").append(OpenSslText.serial(ca.serial()))
                .append("\",role=\"CA\",group=\"").append(label(ca.homeGroup()))
                .append("\",id=\"").append(Long.toString(ca.id())).append("\"} ").append(Long.toString(value))
                .append('\n');
    }

    /** A certificate's labels as the exposition writes them, without the closing brace (locations may follow). */
    static String labels(CertificateInfo c) {
        return "{subject_CN=\"" + label(commonName(c.subject())) + "\",issuer_CN=\"" + label(commonName(c.issuer()))
                + "\",serial_number=\"" + c.serial() + "\",serial=\"" + OpenSslText.serial(c.serial())
                + "\",role=\"" + c.role().name() + "\",group=\"" + label(c.homeGroup()) + "\",id=\"" + c.id() + '"';
    }

    /** The CN attribute of an RFC 4514 name, or "" when there is none. */
    static String commonName(String dn) {
        if (dn == null) {
            return "";
        }
        int i = 0;
        while (i < dn.length()) {
            int end = i;
            boolean escaped = false;
            while (end < dn.length()) {
                char ch = dn.charAt(end);
                if (escaped) {
                    escaped = false;
                } else if (ch == '\\') {
                    escaped = true;
                } else if (ch == ',' || ch == '+') {
                    break;
                }
                end++;
            }
            String rdn = dn.substring(i, end).trim();
            if (rdn.regionMatches(true, 0, "CN=", 0, 3)) {
                // the common case has nothing escaped: no regular expression for it
                return rdn.indexOf('\\') < 0 ? rdn.substring(3) : rdn.substring(3).replaceAll("\\\\(.)", "$1");
            }
            i = end + 1;
        }
        return "";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static String label(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
