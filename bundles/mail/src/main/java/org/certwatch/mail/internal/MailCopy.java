package org.certwatch.mail.internal;

import org.certwatch.commons.persistence.DocumentCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.StoredDocument;

/** This bundle's part of a migration: its one document, the same bytes in {@code mail/settings.properties} and in the shared backend. */
public final class MailCopy extends DocumentCopy {
    public MailCopy() {
        super("mail", "SMTP settings");
    }

    @Override
    protected StoredDocument document(StateSide side) {
        return side.files() ? FileMailBackend.document(side.data()) : SharedMailBackend.document(side.persistence());
    }
}
