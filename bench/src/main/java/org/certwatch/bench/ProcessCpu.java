package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time (user + system, all its threads) from {@code /proc/PID/stat}, in clock ticks of
 * 10 ms ({@code getconf CLK_TCK} is 100 on Linux): over a round of 1,000 replications that is a
 * resolution of 10 µs per replication.
 */
final class ProcessCpu {
    private static final double TICK_MS = 10;

    private ProcessCpu() {
    }

    /** CPU time used so far, in milliseconds. */
    static double millis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the command name in parentheses may hold spaces; the fields after it are fixed
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS; // utime, stime: fields 14 and 15
    }
}
