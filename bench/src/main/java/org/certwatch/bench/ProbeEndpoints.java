package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe benchmark's endpoints: {@link #NAMES} SNI names, worked through {@link #CONCURRENCY} at a time by every
 * side (certwatch, the bare JDK loop, the exporter), and the TLS source's {@code endpoints.json} naming them.
 */
final class ProbeEndpoints {
    static final int NAMES = 1_000;
    static final int CONCURRENCY = 16;

    private ProbeEndpoints() {
    }

    static String name(int i) {
        return "site" + i + ".bench.test";
    }

    /** What one of the {@code CONCURRENCY} threads does with endpoint {@code i}. */
    interface EndpointTask {
        void run(int i) throws Exception;
    }

    /** The {@code NAMES} endpoints shared by {@code CONCURRENCY} threads, each taking the next until none is left. */
    static void each(EndpointTask task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CONCURRENCY; t++) {
                done.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < NAMES; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdown();
        }
    }

    /** {@code tls/endpoints.json} as the source keeps it: every name on {@code addresses} loopback addresses. */
    static void write(Path folder, int port, int addresses, Duration interval) throws IOException {
        Files.createDirectories(folder);
        StringBuilder json = new StringBuilder("{\"lastId\":").append(NAMES * addresses).append(",\"endpoints\":[");
        int id = 0;
        for (int a = 1; a <= addresses; a++) {
            for (int i = 0; i < NAMES; i++) {
                json.append(id == 0 ? "" : ",").append("{\"id\":\"").append(++id).append("\",\"host\":\"127.0.0.")
                        .append(a).append("\",\"port\":").append(port).append(",\"sniName\":\"").append(name(i))
                        .append("\",\"protocol\":\"TLS\",\"homeGroup\":\"All\",\"interval\":\"").append(interval)
                        .append("\",\"extraCaPem\":\"\",\"checkCrl\":false,\"description\":\"\",\"createdAt\":\"")
                        .append(Instant.EPOCH).append("\"}");
            }
        }
        Files.writeString(folder.resolve("endpoints.json"), json.append("]}"));
    }
}
