package org.certwatch.monitor.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;

/**
 * The monitor's part of a migration, through {@link FileMonitorStorage} and {@link SharedMonitorStorage} themselves:
 * the notification definitions and the outbox journal (notices not yet delivered and the "already notified" state),
 * record for record. The file journal is read as the monitor replays it (a torn last line left out); reading never
 * compacts it.
 */
public final class MonitorCopy implements StateCopy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 2_000;

    @Override
    public String part() {
        return "monitor";
    }

    private static MonitorStorage storage(StateSide side) {
        return side.files() ? new FileMonitorStorage(side.data().resolve("monitor"))
                : new SharedMonitorStorage(side.persistence());
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        try (MonitorStorage storage = storage(side)) {
            Optional<Map<String, Object>> definitions = storage.readDefinitions();
            List<byte[]> each = new ArrayList<>();
            if (definitions.isPresent() && definitions.get().get("notifications") instanceof List<?> list) {
                for (Object definition : list) {
                    each.add(JSON.writeValueAsBytes(definition));
                }
            }
            List<byte[]> records = new ArrayList<>();
            for (Map<String, Object> record : records(storage)) {
                records.add(JSON.writeValueAsBytes(record));
            }
            return List.of(Tally.of("notification definitions", each), Tally.of("outbox records", records));
        }
    }

    private static List<Map<String, Object>> records(MonitorStorage storage) throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        storage.replayJournal(records::add);
        return records;
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        try (MonitorStorage source = storage(from); MonitorStorage target = storage(to)) {
            Optional<Map<String, Object>> definitions = source.readDefinitions();
            List<Map<String, Object>> records = records(source);
            if (to.files()) {
                if (!records.isEmpty()) {
                    target.rewriteJournal(records);
                }
            } else {
                for (int i = 0; i < records.size(); i += CHUNK) {
                    target.appendJournal(records.subList(i, Math.min(records.size(), i + CHUNK)));
                }
            }
            if (definitions.isPresent()) {
                target.writeDefinitions(definitions.get());
            }
        }
    }
}
