package org.certwatch.source.tls.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.certwatch.commons.persistence.DocumentCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;

/** This bundle's part of a migration: its one document, the same bytes in {@code tls/endpoints.json} and in the shared backend. */
public final class TlsCopy extends DocumentCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TlsCopy() {
        super("tls", "TLS endpoints");
    }

    @Override
    protected StoredDocument document(StateSide side) {
        return side.files() ? FileTlsBackend.document(side.data()) : SharedTlsBackend.document(side.persistence());
    }

    @Override
    protected long count(byte[] saved) throws Exception {
        return JSON.readValue(saved, EndpointBook.Document.class).endpoints().size();
    }
}
