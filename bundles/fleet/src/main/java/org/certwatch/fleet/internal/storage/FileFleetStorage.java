package org.certwatch.fleet.internal.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.certwatch.commons.files.DurableFiles;

/**
 * The fleet's files in {@code $CERTWATCH_DATA/fleet/}: {@code directory.json} (groups, users, policies,
 * enrolment and API tokens; rewritten on every change, which is rare), the computers ({@link ComputerFiles}: a snapshot
 * and a log of changes, one line each) and {@code rollovers.json}. Every write is durable when it
 * returns (a whole file: synced temporary sibling, atomic rename, synced folder; a change: a synced append).
 * Registered by {@link FileStorageComponent} when the fleet is kept in files.
 */
public final class FileFleetStorage implements FleetStorage {
    private final Path directoryFile;
    private final ComputerFiles computers;
    private final RolloversJson rollovers;

    public FileFleetStorage(Path folder) {
        this.directoryFile = folder.resolve("directory.json");
        this.computers = new ComputerFiles(folder, ComputerFiles.MIN_COMPACTION_BYTES);
        this.rollovers = new RolloversJson(folder);
    }

    @Override
    public Optional<DirectoryRecord> readDirectory() throws IOException {
        return Files.exists(directoryFile)
                ? Optional.of(DirectoryJson.decode(Files.readAllBytes(directoryFile), directoryFile.toString()))
                : Optional.empty();
    }

    @Override
    public Optional<ComputersRecord> readComputers() throws IOException {
        return computers.read();
    }

    @Override
    public void writeDirectory(DirectoryRecord directory) throws IOException {
        DurableFiles.write(directoryFile, DirectoryJson.encode(directory), true);
    }

    @Override
    public void computersChanged(List<ComputerRow> rows) throws IOException {
        computers.append(rows);
    }

    /** Waits for a compaction under way. */
    public void close() {
        computers.close();
    }

    @Override
    public RolloversRecord readRollovers() throws IOException {
        return rollovers.load();
    }

    @Override
    public void writeRollovers(long nextId, Collection<RolloverRecord> all) throws IOException {
        rollovers.save(nextId, all);
    }

    @Override
    public String rolloversLocation() {
        return rollovers.path().toString();
    }

}
