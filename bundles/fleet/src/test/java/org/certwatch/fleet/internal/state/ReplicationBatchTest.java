package org.certwatch.fleet.internal.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Topics;
import org.junit.jupiter.api.Test;

class ReplicationBatchTest {
    private final List<Map<String, Object>> posted = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final ReplicationBatch batch = new ReplicationBatch((topic, p) -> {
        assertEquals(Topics.COMPUTERS_REPLICATED, topic);
        posted.add(p);
    }, scheduled::add);

    private void secondPasses() {
        List<Runnable> due = List.copyOf(scheduled);
        scheduled.clear();
        due.forEach(Runnable::run);
    }

    private static long[] ids(Map<String, Object> event) {
        long[] ids = ((long[]) event.get("computer.ids")).clone();
        Arrays.sort(ids);
        return ids;
    }

    @Test
    void aSecondsReplicationsAreOneEventNamingEachComputerOnce() {
        batch.add(3);
        batch.add(7);
        batch.add(3);
        assertEquals(1, scheduled.size(), "one announcement scheduled for the second, not one per replication");
        assertTrue(posted.isEmpty());
        secondPasses();
        assertEquals(1, posted.size());
        assertArrayEquals(new long[] {3, 7}, ids(posted.get(0)));
        assertEquals(2, posted.get(0).get("count"));
        assertEquals(3, batch.total());

        secondPasses();
        assertEquals(1, posted.size(), "a quiet second announces nothing");
        batch.add(9);
        secondPasses();
        assertArrayEquals(new long[] {9}, ids(posted.get(1)));
    }
}
