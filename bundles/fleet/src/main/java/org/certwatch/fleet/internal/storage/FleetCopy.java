package org.certwatch.fleet.internal.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;

/**
 * The fleet's part of a migration, read and written through {@link FileFleetStorage} and {@link SharedFleetStorage}
 * themselves: the directory (groups, users, policies, enrolment and API tokens), every computer's row and the
 * rollovers. Each thing is fingerprinted as this bundle's own JSON encodes it. On the shared side the computer ids
 * handed out so far are reserved, so the servers continue after the highest.
 */
public final class FleetCopy implements StateCopy {
    private static final int CHUNK = 1_000;

    @Override
    public String part() {
        return "fleet";
    }

    private static FleetStorage storage(StateSide side) {
        return side.files() ? new FileFleetStorage(side.data().resolve("fleet")) : new SharedFleetStorage(side.persistence());
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        FleetStorage storage = storage(side);
        try {
            DirectoryRecord d = storage.readDirectory()
                    .orElse(new DirectoryRecord(0, 0, List.of(), List.of(), List.of(), List.of(), List.of()));
            List<ComputerRow> computers = storage.readComputers().map(ComputersRecord::computers).orElse(List.of());
            RolloversRecord rollovers = storage.readRollovers();
            return List.of(
                    Tally.of("groups", each(d.groups(), g -> only(d, List.of(g), List.of(), List.of(), List.of(), List.of()))),
                    Tally.of("users", each(d.users(), u -> only(d, List.of(), List.of(u), List.of(), List.of(), List.of()))),
                    Tally.of("policies", each(d.policies(), p -> only(d, List.of(), List.of(), List.of(p), List.of(), List.of()))),
                    Tally.of("enrolment tokens", each(d.tokens(), t -> only(d, List.of(), List.of(), List.of(), List.of(t), List.of()))),
                    Tally.of("API tokens", each(d.apiTokens(), t -> only(d, List.of(), List.of(), List.of(), List.of(), List.of(t)))),
                    Tally.of("computers", each(computers, ComputerRowJson::encode)),
                    Tally.of("rollovers", each(List.copyOf(rollovers.rollovers().values()),
                            r -> RolloversJson.encode(0, List.of(r)))));
        } finally {
            close(storage);
        }
    }

    /** One thing of the directory, encoded as the directory's JSON holding it alone. */
    private static byte[] only(DirectoryRecord d, List<org.certwatch.api.fleet.Group> groups, List<UserRecord> users,
            List<org.certwatch.api.fleet.Policy> policies, List<TokenRecord> tokens, List<ApiTokenRecord> apiTokens)
            throws IOException {
        return DirectoryJson.encode(new DirectoryRecord(0, 0, groups, users, policies, tokens, apiTokens));
    }

    @FunctionalInterface
    private interface Encoder<T> {
        byte[] encode(T value) throws IOException;
    }

    private static <T> List<byte[]> each(List<T> values, Encoder<T> encoder) throws IOException {
        List<byte[]> encoded = new ArrayList<>(values.size());
        for (T v : values) {
            encoded.add(encoder.encode(v));
        }
        return encoded;
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        FleetStorage source = storage(from);
        FleetStorage target = storage(to);
        try {
            var directory = source.readDirectory();
            if (directory.isPresent()) {
                target.writeDirectory(directory.get());
            }
            var computers = source.readComputers();
            if (computers.isPresent()) {
                List<ComputerRow> rows = computers.get().computers();
                for (int i = 0; i < rows.size(); i += CHUNK) {
                    target.computersChanged(rows.subList(i, Math.min(rows.size(), i + CHUNK)));
                }
                target.reserveComputerIds(computers.get().nextComputerId(), 0);
            }
            RolloversRecord rollovers = source.readRollovers();
            if (!rollovers.rollovers().isEmpty()) {
                target.writeRollovers(rollovers.nextId(), rollovers.rollovers().values());
            }
        } finally {
            close(source);
            close(target);
        }
    }

    private static void close(FleetStorage storage) {
        if (storage instanceof FileFleetStorage files) {
            files.close();
        }
    }

}
