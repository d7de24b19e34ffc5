package org.certwatch.source.files.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.commons.persistence.Tally;

/** This bundle's part of a migration: its one document, the same bytes in {@code files/watches.json} and in the shared backend. */
public final class FilesCopy implements StateCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String part() {
        return "files";
    }

    private static StoredDocument document(StateSide side) {
        return side.files() ? FileFilesBackend.document(side.data()) : SharedFilesBackend.document(side.persistence());
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        Optional<byte[]> saved = document(side).read();
        if (saved.isEmpty()) {
            return List.of(Tally.ofDocument("file watches", 0, null));
        }
        byte[] bytes = saved.get();
        return List.of(Tally.ofDocument("file watches", JSON.readValue(bytes, WatchBook.Document.class).watches().size(), bytes));
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        Optional<byte[]> saved = document(from).read();
        if (saved.isPresent()) {
            document(to).write(saved.get());
        }
    }
}
