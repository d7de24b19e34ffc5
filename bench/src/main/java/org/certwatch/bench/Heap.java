package org.certwatch.bench;

import java.lang.management.ManagementFactory;

/** The heap the benchmarks weigh what they keep with. */
final class Heap {
    private Heap() {
    }

    /** Bytes in use after full collections (several: one may leave what finalisation released). */
    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
