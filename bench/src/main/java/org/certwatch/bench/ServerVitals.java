package org.certwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server JVM's heap after a full GC, metaspace and thread count, read with {@code jcmd} (the
 * JDK's own tool, no agent in the server) and {@code /proc/PID/status}.
 */
final class ServerVitals {
    /** One sample: old generation used after a full GC, metaspace used (KiB), live threads, resident set (KiB), bundle class loaders. */
    record Sample(Instant at, long heapKb, long metaspaceKb, int threads, long rssKb, int bundleLoaders) {
    }

    /** Serial/Parallel GC: the old generation after a full GC is what the server keeps (the young one refills at once). */
    private static final Pattern OLD = Pattern.compile("(tenured generation|ParOldGen)\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");
    private static final Pattern HEAP = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");
    private static final Pattern THREAD = Pattern.compile("^\"([^\"]*)\"", Pattern.MULTILINE);
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used\\s+(\\d+)K");

    private ServerVitals() {
    }

    static Sample sample(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        Matcher m = OLD.matcher(heap);
        Matcher g1 = HEAP.matcher(heap);
        long used = m.find() ? Long.parseLong(m.group(2)) : g1.find() ? Long.parseLong(g1.group(1)) : -1;
        Matcher meta = METASPACE.matcher(heap);
        long metaspace = meta.find() ? Long.parseLong(meta.group(1)) : -1;
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        // an OSGi class loader per resolved bundle revision: more at the end than at the start means old
        // revisions of redeployed bundles are still held
        int bundleLoaders = (int) jcmd(pid, "VM.classloader_stats").lines().filter(l -> l.endsWith("$BundleClassLoader")).count();
        return new Sample(Instant.now(), used, metaspace, (int) field(status, "Threads:"), field(status, "VmRSS:"), bundleLoaders);
    }

    /** Live threads by name, digits folded ({@code qtp123-45} → {@code qtp#-#}), to show which kind grows. */
    static Map<String, Integer> threadNames(long pid) throws IOException, InterruptedException {
        Map<String, Integer> names = new TreeMap<>();
        Matcher m = THREAD.matcher(jcmd(pid, "Thread.print"));
        while (m.find()) {
            names.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return names;
    }

    private static long field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> Long.parseLong(l.substring(name.length()).trim().split("\\s+")[0])).orElse(-1L);
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }
}
