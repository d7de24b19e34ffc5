package org.certwatch.discovery.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.certwatch.commons.persistence.DocumentCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;

/** This bundle's part of a migration: its one document, the same bytes in {@code discovery/discovery.json} and in the shared backend. */
public final class DiscoveryCopy extends DocumentCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DiscoveryCopy() {
        super("discovery", "discovery ranges");
    }

    @Override
    protected StoredDocument document(StateSide side) {
        return side.files() ? FileDiscoveryBackend.document(side.data()) : SharedDiscoveryBackend.document(side.persistence());
    }

    @Override
    protected long count(byte[] saved) throws Exception {
        return JSON.readValue(saved, DiscoveryBook.Document.class).ranges().size();
    }
}
