package org.certwatch.fleet.internal.storage;

import java.util.Map;

/** Every rollover as stored, by id, and the next id. */
public record RolloversRecord(long nextId, Map<Long, RolloverRecord> rollovers) {
}
