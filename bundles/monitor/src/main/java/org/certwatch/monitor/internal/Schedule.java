package org.certwatch.monitor.internal;

import java.util.Arrays;

/**
 * Every watched CA and certificate in parallel primitive arrays ("slots"), with a binary min-heap of
 * slots ordered by the instant of their next status change ({@code due}, epoch seconds). Insert,
 * update, remove and pop are O(log n); nothing scans all entries except a clock jump backwards.
 * Not thread-safe: the engine guards it.
 */
final class Schedule {
    static final long NEVER = Long.MAX_VALUE;
    static final int F_CA = 1;
    static final int F_REVOKED = 2;
    static final int F_RENEWED = 4;
    static final int F_REPLACED = 8;

    private final LongIntMap index;
    long[] key = new long[0];
    long[] notBefore = new long[0];
    long[] notAfter = new long[0];
    long[] due = new long[0];
    byte[] flags = new byte[0];
    byte[] role = new byte[0];
    /** Status ordinal in bits 0-2, bit 3 = critical; -1 = not evaluated yet. */
    byte[] state = new byte[0];
    int[] group = new int[0];
    private int[] heap = new int[0];
    private int[] heapPos = new int[0];
    private int heapSize;
    private int slots;
    private int[] free = new int[16];
    private int freeCount;

    Schedule(int expected) {
        index = new LongIntMap(expected);
        ensure(Math.max(16, expected));
    }

    /** A certificate's key: store id shifted, the low bit tells a CA apart. */
    static long key(long id, boolean ca) {
        return (id << 1) | (ca ? 1 : 0);
    }

    int size() {
        return index.size();
    }

    /** The slot of a key, -1 when absent. */
    int slot(long k) {
        return index.get(k);
    }

    /** Adds a new slot (state -1, due NEVER, not in the heap yet) or returns the existing one. */
    int add(long k) {
        int s = index.get(k);
        if (s >= 0) {
            return s;
        }
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            if (slots == key.length) {
                ensure(slots + (slots >> 1) + 16);
            }
            s = slots++;
        }
        index.put(k, s);
        key[s] = k;
        state[s] = -1;
        flags[s] = 0;
        due[s] = NEVER;
        heapPos[s] = -1;
        return s;
    }

    void remove(int s) {
        unschedule(s);
        index.remove(key[s]);
        key[s] = Long.MIN_VALUE;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = s;
    }

    /** Whether the slot holds an entry (removed slots wait for reuse). */
    boolean used(int s) {
        return key[s] != Long.MIN_VALUE && s < slots;
    }

    int capacity() {
        return slots;
    }

    private void ensure(int capacity) {
        key = Arrays.copyOf(key, capacity);
        notBefore = Arrays.copyOf(notBefore, capacity);
        notAfter = Arrays.copyOf(notAfter, capacity);
        due = Arrays.copyOf(due, capacity);
        flags = Arrays.copyOf(flags, capacity);
        role = Arrays.copyOf(role, capacity);
        state = Arrays.copyOf(state, capacity);
        group = Arrays.copyOf(group, capacity);
        heap = Arrays.copyOf(heap, capacity);
        heapPos = Arrays.copyOf(heapPos, capacity);
    }

    /** Sets the slot's due instant and places it in the heap (or takes it out for NEVER). O(log n). */
    void schedule(int s, long when) {
        due[s] = when;
        if (when == NEVER) {
            unschedule(s);
            return;
        }
        int p = heapPos[s];
        if (p < 0) {
            p = heapSize++;
            heap[p] = s;
            heapPos[s] = p;
            up(p);
        } else {
            up(p);
            down(heapPos[s]);
        }
    }

    /** Adds the slot to the heap without ordering; {@link #heapify()} must follow. */
    void scheduleUnordered(int s, long when) {
        due[s] = when;
        if (when != NEVER && heapPos[s] < 0) {
            heap[heapSize] = s;
            heapPos[s] = heapSize++;
        }
    }

    /** Floyd's O(n) heap construction after bulk loading. */
    void heapify() {
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            down(i);
        }
    }

    void clearHeap() {
        for (int i = 0; i < heapSize; i++) {
            heapPos[heap[i]] = -1;
        }
        heapSize = 0;
    }

    private void unschedule(int s) {
        int p = heapPos[s];
        if (p < 0) {
            return;
        }
        heapPos[s] = -1;
        int last = heap[--heapSize];
        if (p < heapSize) {
            heap[p] = last;
            heapPos[last] = p;
            up(p);
            down(heapPos[last]);
        }
    }

    /** The slot due first, -1 when nothing is scheduled. */
    int peek() {
        return heapSize == 0 ? -1 : heap[0];
    }

    long nextDue() {
        return heapSize == 0 ? NEVER : due[heap[0]];
    }

    private void up(int p) {
        int s = heap[p];
        long d = due[s];
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            int ps = heap[parent];
            if (due[ps] <= d) {
                break;
            }
            heap[p] = ps;
            heapPos[ps] = p;
            p = parent;
        }
        heap[p] = s;
        heapPos[s] = p;
    }

    private void down(int p) {
        int s = heap[p];
        long d = due[s];
        int half = heapSize >>> 1;
        while (p < half) {
            int c = 2 * p + 1;
            int cs = heap[c];
            int r = c + 1;
            if (r < heapSize && due[heap[r]] < due[cs]) {
                c = r;
                cs = heap[r];
            }
            if (d <= due[cs]) {
                break;
            }
            heap[p] = cs;
            heapPos[cs] = p;
            p = c;
        }
        heap[p] = s;
        heapPos[s] = p;
    }
}
