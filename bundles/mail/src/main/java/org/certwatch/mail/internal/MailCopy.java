package org.certwatch.mail.internal;

import java.util.List;
import java.util.Optional;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.commons.persistence.Tally;

/** This bundle's part of a migration: its one document, the same bytes in {@code mail/settings.properties} and in the shared backend. */
public final class MailCopy implements StateCopy {
    @Override
    public String part() {
        return "mail";
    }

    private static StoredDocument document(StateSide side) {
        return side.files() ? FileMailBackend.document(side.data()) : SharedMailBackend.document(side.persistence());
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        Optional<byte[]> saved = document(side).read();
        if (saved.isEmpty()) {
            return List.of(Tally.ofDocument("SMTP settings", 0, null));
        }
        byte[] bytes = saved.get();
        return List.of(Tally.ofDocument("SMTP settings", 1, bytes));
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        Optional<byte[]> saved = document(from).read();
        if (saved.isPresent()) {
            document(to).write(saved.get());
        }
    }
}
