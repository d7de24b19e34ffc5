package org.certwatch.fleet.internal.storage;

import java.util.List;

/** The computers as stored: one row each, and the next id to hand out. */
public record ComputersRecord(long nextComputerId, List<ComputerRow> computers) {
}
