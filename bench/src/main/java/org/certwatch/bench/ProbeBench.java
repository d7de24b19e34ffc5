package org.certwatch.bench;

import static org.certwatch.bench.Figure.last;
import static org.certwatch.bench.ProbeEndpoints.CONCURRENCY;
import static org.certwatch.bench.ProbeEndpoints.NAMES;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.source.tls.internal.TlsSource;

/**
 * {@code ./certwatch bench probe}: the TLS probe source (run in this JVM, reporting to a counting registry: the
 * registry is not what is measured) against one local nginx ({@link ProbeNginx}) with 1,000 SNI server blocks per
 * endpoint set, each its own RSA-2048 certificate: a TLS 1.2 set and a TLS 1.3 set. Probes per second over the 1,000
 * endpoints of each set, side by side with {@code prometheus-blackbox-exporter} ({@link BlackboxExporter}) probing the
 * same endpoints at the same concurrency, alternating per sample; heap per watched endpoint; and 10,000 endpoints at a
 * 60 s interval for three minutes ({@link ProbeHold}). The probe runs with the server's handshake provider
 * ({@code org.certwatch.crypto}) installed, as in the server. CPU time per probe is measured beside the rate: this
 * JVM's for certwatch, the exporter process's for the anchor (the rate depends on the machine's load, the CPU time
 * much less). A second anchor, this JVM's floor ({@link BareJdkHandshakes}): a bare loop of JDK {@code SSLSocket}
 * handshakes over the same endpoints at the same concurrency, so the report shows how far certwatch is from what the
 * JVM itself can do, and how far that is from Go.
 */
final class ProbeBench {
    private static final int SAMPLES = Integer.getInteger("certwatch.bench.probe.samples", Figure.MIN_SAMPLES);
    private static final String TLS12 = "TLSv1.2";
    private static final String TLS13 = "TLSv1.3";

    private ProbeBench() {
    }

    /** One endpoint set's samples: certwatch, the bare JDK loop and the exporter, rate and CPU time per probe. */
    private record Sides(List<Double> certwatch, List<Double> certwatchCpu, List<Double> bare, List<Double> bareCpu,
            List<Double> anchor, List<Double> anchorCpu) {
        Sides() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
        }

        /** The set's figures, named after {@code prefix} ("probe: "). */
        List<Figure> figures(String prefix) {
            return List.of(
                    new Figure(prefix + "probes/s over 1,000 SNI endpoints on one nginx, " + CONCURRENCY
                            + " at once (one handshake each, as the anchor)", "probes/s", certwatch,
                            "blackbox exporter", anchor, "≥ 1.0× anchor", true),
                    new Figure(prefix + "certwatch's probes/s against this JVM's floor (bare JDK SSLSocket handshakes,"
                            + " same endpoints, concurrency, groups and suites)", "probes/s", certwatch, "bare JDK", bare,
                            "—", true),
                    new Figure(prefix + "the JVM's floor: bare JDK SSLSocket handshakes/s against the anchor",
                            "handshakes/s", bare, "blackbox exporter", anchor, "—", true),
                    new Figure(prefix + "CPU time per probe (certwatch: the benchmark JVM; the exporter: its process)",
                            "ms", certwatchCpu, "blackbox exporter", anchorCpu, "—", false),
                    new Figure(prefix + "CPU time per probe, certwatch against the bare JDK handshake (both this JVM)",
                            "ms", certwatchCpu, "bare JDK", bareCpu, "—", false),
                    new Figure(prefix + "CPU time per bare JDK handshake (this JVM) against the exporter's per probe",
                            "ms", bareCpu, "blackbox exporter", anchorCpu, "—", false));
        }

        /** The exporter, the bare JDK loop and certwatch in turn over the set on {@code port}. */
        void sample(BlackboxExporter exporter, int port, String protocol, Path folder) throws Exception {
            anchor.add(exporter.rate(port, protocol, anchorCpu));
            bare.add(BareJdkHandshakes.rate(port, protocol, bareCpu));
            certwatch.add(certwatchRate(folder, port, false, protocol, certwatchCpu));
        }
    }

    static List<Figure> run() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("certwatch.workRoot", "target/bench/work"))
                .resolve("probe-" + System.nanoTime()));
        try (ProbeNginx nginx = ProbeNginx.start(work);
                BlackboxExporter blackbox = BlackboxExporter.start(work)) {
            Sides tls12 = new Sides();
            Sides tls13 = new Sides();
            List<Double> certwatchDefault = new ArrayList<>();
            List<Double> unusedCpu = new ArrayList<>();
            List<Double> heap = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            List<Double> checks = new ArrayList<>();
            // the server's provider, as its org.certwatch.crypto bundle installs it
            try (LoadGeneratorCrypto crypto = LoadGeneratorCrypto.install()) {
                for (int i = 0; i < SAMPLES; i++) {
                    int port = nginx.port(TLS12);
                    tls12.sample(blackbox, port, TLS12, work.resolve("rate-" + i));
                    certwatchDefault.add(certwatchRate(work.resolve("rate-default-" + i), port, true, TLS12,
                            unusedCpu));
                    System.out.printf("probe: sample %d: certwatch %.0f probes/s, %.2f ms CPU each (%.0f probes/s with"
                            + " the TLS 1.1 check), bare JDK %.0f handshakes/s, %.2f ms CPU each, blackbox exporter %.0f"
                            + " probes/s, %.2f ms CPU each, load %.1f%n", i + 1, last(tls12.certwatch),
                            last(tls12.certwatchCpu), last(certwatchDefault), last(tls12.bare), last(tls12.bareCpu),
                            last(tls12.anchor), last(tls12.anchorCpu), Report.loadAverage());
                    tls13.sample(blackbox, nginx.port(TLS13), TLS13, work.resolve("rate-tls13-" + i));
                    System.out.printf("probe: sample %d, TLS 1.3: certwatch %.0f probes/s, %.2f ms CPU each, bare JDK"
                            + " %.0f handshakes/s, %.2f ms CPU each, blackbox exporter %.0f probes/s, %.2f ms CPU each,"
                            + " load %.1f%n", i + 1, last(tls13.certwatch), last(tls13.certwatchCpu), last(tls13.bare),
                            last(tls13.bareCpu), last(tls13.anchor), last(tls13.anchorCpu), Report.loadAverage());
                }
                ProbeHold.run(work.resolve("hold"), nginx.port(TLS12), heap, gaps, checks);
            }
            List<Figure> figures = new ArrayList<>(tls12.figures("probe: "));
            figures.add(1, new Figure("probe: probes/s with the default TLS 1.0/1.1 check (a second connection each)",
                    "probes/s", certwatchDefault, "blackbox exporter", tls12.anchor, "—", true));
            figures.addAll(tls13.figures("probe, TLS 1.3: "));
            figures.add(new Figure("probe: heap per watched endpoint (10,000 endpoints)", "bytes", heap, "", List.of(),
                    "≤ 2048 bytes", false));
            figures.add(new Figure("probe: longest gap between two checks of one of 10,000 endpoints at a 60 s interval"
                    + " (jitter 0.1)", "s", gaps, "", List.of(), "≤ 72 s", false));
            figures.add(new Figure("probe: checks of those 10,000 endpoints per second over "
                    + ProbeHold.HOLD.toSeconds() + " s", "checks/s", checks, "", List.of(), "≥ 150/s", true));
            return figures;
        }
    }

    /** All 1,000 endpoints on {@code port} checked at once, {@code CONCURRENCY} at a time: checks per second, each of
     *  which must have negotiated {@code protocol}; adds this JVM's CPU milliseconds per check to {@code cpu}. */
    private static double certwatchRate(Path folder, int port, boolean oldProtocols, String protocol, List<Double> cpu)
            throws Exception {
        long self = ProcessHandle.current().pid();
        ProbeEndpoints.write(folder, port, 1, Duration.ofHours(1));
        CountingRegistry registry = new CountingRegistry();
        TlsSource source = new TlsSource(folder, ProbeSettings.of(Duration.ofHours(1), oldProtocols, 0), registry);
        registry.expect(NAMES);
        double cpu0 = ProcessCpu.millis(self);
        long t0 = System.nanoTime();
        source.start();
        try {
            if (!registry.await(Duration.ofMinutes(5))) {
                throw new AssertionError("certwatch checked " + registry.reports.get() + " of " + NAMES);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            cpu.add((ProcessCpu.millis(self) - cpu0) / NAMES);
            registry.assertNoFailures();
            if (!registry.protocols.equals(Map.of(protocol, NAMES))) {
                throw new AssertionError("certwatch negotiated " + registry.protocols + ", not " + protocol);
            }
            return NAMES / seconds;
        } finally {
            source.deactivate();
        }
    }
}
