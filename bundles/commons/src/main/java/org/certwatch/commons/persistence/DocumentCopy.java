package org.certwatch.commons.persistence;

import java.util.List;
import java.util.Optional;

/**
 * The {@link StateCopy} of a bundle that keeps its state as one {@link StoredDocument}: the same bytes in a file of the
 * data folder and under a key of the shared backend, so the copy is the bytes and the fingerprint theirs.
 */
public abstract class DocumentCopy implements StateCopy {
    private final String part;
    private final String kind;

    protected DocumentCopy(String part, String kind) {
        this.part = part;
        this.kind = kind;
    }

    /** The bundle's document on this side (its file or its shared key), as the bundle itself opens it. */
    protected abstract StoredDocument document(StateSide side);

    /** How many things the saved bytes hold, for the table; one document by default. */
    protected long count(byte[] saved) throws Exception {
        return 1;
    }

    @Override
    public final String part() {
        return part;
    }

    @Override
    public final List<Tally> tally(StateSide side) throws Exception {
        Optional<byte[]> saved = document(side).read();
        return List.of(saved.isEmpty() ? Tally.ofDocument(kind, 0, null)
                : Tally.ofDocument(kind, count(saved.get()), saved.get()));
    }

    @Override
    public final void copy(StateSide from, StateSide to) throws Exception {
        Optional<byte[]> saved = document(from).read();
        if (saved.isPresent()) {
            document(to).write(saved.get());
        }
    }
}
