package org.certwatch.commons.persistence;

import java.nio.file.Path;
import java.util.Objects;
import org.certwatch.api.persistence.Persistence;

/**
 * One side of a migration: the files of a data folder, or a shared backend's {@link Persistence}.
 *
 * @param data the data folder ({@code CERTWATCH_DATA}); for a shared side, the folder of the server running the
 *        migration, which it does not touch
 * @param shared the shared backend, or null for the files
 */
public record StateSide(Path data, Persistence shared) {
    public StateSide {
        Objects.requireNonNull(data, "data");
    }

    public static StateSide files(Path data) {
        return new StateSide(data, null);
    }

    public static StateSide shared(Path data, Persistence shared) {
        return new StateSide(data, Objects.requireNonNull(shared, "shared"));
    }

    public boolean files() {
        return shared == null;
    }

    /** The shared backend; throws for the files side. */
    public Persistence persistence() {
        if (shared == null) {
            throw new IllegalStateException("the files side has no shared backend");
        }
        return shared;
    }
}
