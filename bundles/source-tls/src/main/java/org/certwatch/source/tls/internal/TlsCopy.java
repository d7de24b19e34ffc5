package org.certwatch.source.tls.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.commons.persistence.Tally;

/** This bundle's part of a migration: its one document, the same bytes in {@code tls/endpoints.json} and in the shared backend. */
public final class TlsCopy implements StateCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String part() {
        return "tls";
    }

    private static StoredDocument document(StateSide side) {
        return side.files() ? FileTlsBackend.document(side.data()) : SharedTlsBackend.document(side.persistence());
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        Optional<byte[]> saved = document(side).read();
        if (saved.isEmpty()) {
            return List.of(Tally.ofDocument("TLS endpoints", 0, null));
        }
        byte[] bytes = saved.get();
        return List.of(Tally.ofDocument("TLS endpoints", JSON.readValue(bytes, EndpointBook.Document.class).endpoints().size(), bytes));
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        Optional<byte[]> saved = document(from).read();
        if (saved.isPresent()) {
            document(to).write(saved.get());
        }
    }
}
