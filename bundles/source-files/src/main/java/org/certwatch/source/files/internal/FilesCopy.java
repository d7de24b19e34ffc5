package org.certwatch.source.files.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.certwatch.commons.persistence.DocumentCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;

/** This bundle's part of a migration: its one document, the same bytes in {@code files/watches.json} and in the shared backend. */
public final class FilesCopy extends DocumentCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    public FilesCopy() {
        super("files", "file watches");
    }

    @Override
    protected StoredDocument document(StateSide side) {
        return side.files() ? FileFilesBackend.document(side.data()) : SharedFilesBackend.document(side.persistence());
    }

    @Override
    protected long count(byte[] saved) throws Exception {
        return JSON.readValue(saved, WatchBook.Document.class).watches().size();
    }
}
