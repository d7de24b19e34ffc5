package org.certwatch.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory of a running server JVM, read with the JDK's jcmd and /proc: what a leak would show. */
record ServerMemory(long heapUsedAfterGcKb, long rssKb) {
    private static final Pattern GENERATION_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    /** Heap in use after a full GC (so garbage does not count), and the resident set size. */
    static ServerMemory of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = GENERATION_USED.matcher(jcmd(pid, "GC.heap_info"));
        long used = 0;
        int generations = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            generations++;
        }
        if (generations == 0) {
            throw new IOException("jcmd GC.heap_info of " + pid + " names no generation (not the serial GC?)");
        }
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
        return new ServerMemory(used, rss.find() ? Long.parseLong(rss.group(1)) : -1);
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    @Override
    public String toString() {
        return "heap after GC " + heapUsedAfterGcKb / 1024 + " MB, RSS " + rssKb / 1024 + " MB";
    }
}
