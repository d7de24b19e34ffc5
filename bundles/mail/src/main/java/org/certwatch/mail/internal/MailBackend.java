package org.certwatch.mail.internal;

import org.certwatch.commons.persistence.StoredDocument;

/**
 * Where the SMTP settings live: {@link FileMailBackend} in the default file mode,
 * {@link SharedMailBackend} while a shared backend's {@code Persistence} is present.
 */
interface MailBackend {
    StoredDocument settings();
}
