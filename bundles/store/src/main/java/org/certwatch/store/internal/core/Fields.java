package org.certwatch.store.internal.core;

import static org.certwatch.api.store.CertificateStore.ROOT_GROUP;

import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.pki.Names;

/** Checks of the free-text fields a caller gives (group, description). */
final class Fields {
    private static final int MAX_DESCRIPTION = 1000;

    private Fields() {
    }

    static String group(String group) {
        if (group == null || group.isBlank()) {
            return ROOT_GROUP;
        }
        String g = group.strip();
        if (g.chars().anyMatch(Character::isISOControl) || !Names.wellFormed(g)) {
            throw new CertificateStoreException("the group '" + group + "' contains control characters or an unpaired"
                    + " UTF-16 surrogate");
        }
        return g;
    }

    static String description(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new CertificateStoreException("the description has " + description.length()
                    + " characters; at most " + MAX_DESCRIPTION + " are allowed");
        }
        if (!Names.wellFormed(description)) {
            // it has no UTF-8 form: the journal and every JSON answer would have to mangle it
            throw new CertificateStoreException("the description contains an unpaired UTF-16 surrogate: not valid Unicode");
        }
        return description;
    }
}
