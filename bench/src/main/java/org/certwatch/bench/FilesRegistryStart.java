package org.certwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;

/**
 * The files benchmark's start figure: the location registry's start over a data folder's locations, timed in a child
 * JVM with the distribution's JVM options (this class's {@link #main}), the store opened first and not timed.
 */
final class FilesRegistryStart {
    /** The distribution's default JVM options (bin/certwatch), for the registry's start. */
    private static final List<String> SERVER_JVM = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private FilesRegistryStart() {
    }

    /** The child JVM: {@code FilesRegistryStart DATA} prints "LOAD ms locations". */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        try (FilesServer server = FilesServer.open(data)) {
            long t0 = System.nanoTime();
            LocationRegistry registry = server.openRegistry();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("LOAD " + millis + " " + registry.locations(LocationQuery.all()).size());
        }
    }

    /** Seconds the registry's start over {@code data} took in a child JVM; it must find {@code expected} locations. */
    static double seconds(Path data, int expected) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVER_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FilesRegistryStart.class.getName(),
                data.toString()));
        Path log = data.resolve("start.log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException("the registry's start failed: " + out + String.join("\n",
                    lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
        String[] result = out.lines().filter(l -> l.startsWith("LOAD ")).findFirst()
                .orElseThrow(() -> new IOException("no result from the start child: " + out)).split(" ");
        if (Integer.parseInt(result[2]) != expected) {
            throw new AssertionError("the registry started with " + result[2] + " of " + expected + " locations");
        }
        return Long.parseLong(result[1]) / 1000.0;
    }
}
