package org.certwatch.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void heapAndIndexAgreeWithAReferenceModel() {
        long seed = System.nanoTime();
        System.out.println("ScheduleTest seed " + seed);
        Random random = new Random(seed);
        Schedule schedule = new Schedule(4);
        Map<Long, Long> reference = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(2000);
            int op = random.nextInt(10);
            if (op < 6) {
                int s = schedule.add(key);
                long due = random.nextInt(5) == 0 ? Schedule.NEVER : random.nextInt(1_000_000);
                schedule.schedule(s, due);
                reference.put(key, due);
            } else if (op < 8) {
                int s = schedule.slot(key);
                if (s >= 0) {
                    schedule.remove(s);
                }
                reference.remove(key);
            } else {
                long min = reference.values().stream().mapToLong(Long::longValue).min().orElse(Schedule.NEVER);
                assertEquals(min, schedule.nextDue(), "seed " + seed + " step " + step);
                if (min != Schedule.NEVER) {
                    int top = schedule.peek();
                    assertEquals(min, (long) reference.get(schedule.key[top]), "seed " + seed);
                }
            }
            assertEquals(reference.size(), schedule.size(), "seed " + seed);
        }
    }

    @Test
    void longIntMapAgreesWithAReferenceModel() {
        long seed = System.nanoTime();
        System.out.println("LongIntMap seed " + seed);
        Random random = new Random(seed);
        LongIntMap map = new LongIntMap(2);
        TreeMap<Long, Integer> reference = new TreeMap<>();
        for (int step = 0; step < 300_000; step++) {
            long key = random.nextInt(5000) * 7919L - 100;
            if (random.nextBoolean()) {
                int v = random.nextInt(1000);
                map.put(key, v);
                reference.put(key, v);
            } else {
                map.remove(key);
                reference.remove(key);
            }
            long probe = random.nextInt(5000) * 7919L - 100;
            assertEquals(reference.getOrDefault(probe, -1), map.get(probe), "seed " + seed + " step " + step);
        }
        assertEquals(reference.size(), map.size());
    }
}
