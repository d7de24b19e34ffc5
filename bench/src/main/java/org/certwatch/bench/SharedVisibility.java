package org.certwatch.bench;

import static org.certwatch.bench.Figure.last;
import static org.certwatch.bench.SharedBench.BASIC;
import static org.certwatch.bench.SharedBench.ROUNDS;
import static org.certwatch.bench.SharedBench.base;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;

/** The shared benchmark's visibility figure: a change on one server seen through the other server's API. */
final class SharedVisibility {
    /** Changes per round of the visibility figure: 5 × 50 = 250 in all. */
    private static final int CHANGES = Integer.getInteger("certwatch.bench.shared.changes", 50);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private SharedVisibility() {
    }

    /**
     * A certificate issued through A's API, timed from A's answer until B's API lists it (polled every 5 ms); the
     * anchor is the same poll on A itself, of a certificate just issued through B's API the other way round would
     * wait for the notification too, so the anchor asks the server that answered: the floor of the method.
     */
    static void measure(HttpClient client, CertwatchServer a, CertwatchServer b, List<Figure> figures)
            throws Exception {
        long ca = Long.parseLong(a.probe("org.certwatch.storedriver", "cas").orElseThrow().lines().findFirst()
                .orElseThrow().split("\t")[0]);
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> ownP50 = new ArrayList<>();
        List<Double> ownP99 = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        int n = 0;
        for (int r = 1; r <= ROUNDS; r++) {
            List<Double> other = new ArrayList<>();
            List<Double> own = new ArrayList<>();
            for (int i = 0; i < CHANGES; i++) {
                long[] issued = issueThroughApi(client, a, ca, "seen-" + (n++) + ".example.org");
                other.add(untilListed(client, b, issued));
                long[] mine = issueThroughApi(client, a, ca, "own-" + (n++) + ".example.org");
                own.add(untilListed(client, a, mine));
            }
            all.addAll(other);
            p50.add(Figure.median(other));
            p99.add(percentile(other, 0.99));
            ownP50.add(Figure.median(own));
            ownP99.add(percentile(own, 0.99));
            System.out.printf(Locale.ROOT, "visibility round %d: %d changes, on the other server p50 %.1f ms p99 %.1f ms;"
                    + " on the issuing server p50 %.1f ms p99 %.1f ms%n", r, CHANGES, last(p50), last(p99), last(ownP50),
                    last(ownP99));
        }
        System.out.printf(Locale.ROOT, "visibility over all %d changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", all.size(),
                percentile(all, 0.5), percentile(all, 0.99), Figure.max(all));
        String anchor = "the same poll on the issuing server (the method's floor)";
        figures.add(new Figure("shared: certificate issued on A listed by B's API, p50 of " + CHANGES + " per round", "ms",
                p50, anchor, ownP50, "≤ 1000 ms", false));
        figures.add(new Figure("shared: certificate issued on A listed by B's API, p99 of " + CHANGES + " per round", "ms",
                p99, anchor, ownP99, "≤ 1000 ms", false));
    }

    /** {id, nanoTime of the answer}. */
    private static long[] issueThroughApi(HttpClient client, CertwatchServer server, long ca, String host) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base(server) + "/api/v1/certificates"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", BASIC.substring(BASIC.indexOf(':') + 2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"" + host + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        Matcher id = ID.matcher(r.body());
        if (r.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("issue through the API: " + r.statusCode() + " " + r.body());
        }
        return new long[] {Long.parseLong(id.group(1)), answered};
    }

    /** Milliseconds from the issuing answer until {@code server}'s API answers 200 for the certificate. */
    private static double untilListed(HttpClient client, CertwatchServer server, long[] issued) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base(server) + "/api/v1/certificates/" + issued[0]))
                .timeout(Duration.ofSeconds(60)).header("Authorization", BASIC.substring(BASIC.indexOf(':') + 2)).GET().build();
        long deadline = issued[1] + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return (System.nanoTime() - issued[1]) / 1e6;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("certificate " + issued[0] + " not listed by " + base(server) + " within 60 s");
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
