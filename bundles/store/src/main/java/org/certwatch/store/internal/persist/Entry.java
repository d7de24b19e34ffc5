package org.certwatch.store.internal.persist;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.store.SubjectAltName;

/** The facts the journal records; replaying them in order rebuilds the store's state. */
public sealed interface Entry {
    /** First record of every journal: the key-encryption parameters and a password check. */
    record Header(byte[] salt, int iterations, byte[] passwordCheck) implements Entry {
    }

    /** A CA; its key lives in its own durably written file (so deleting the CA can destroy it). */
    record CaAdded(long id, boolean imported, String group, String description, Instant createdAt, byte[] certificate)
            implements Entry {
    }

    /**
     * A peer or monitor-only certificate with everything a listing needs, so opening the store never
     * parses certificates. {@code encryptedKey} is empty for monitor-only ones. {@code subjectAltNames} is
     * null when the journal record predates them (version 1): the store then works them out on open.
     */
    record CertAdded(long id, Role role, String host, List<String> alternativeNames,
            List<SubjectAltName> subjectAltNames, long caId, String group,
            String description, Instant createdAt, long predecessorId, String subject, String issuer,
            BigInteger serial, Instant notBefore, Instant notAfter, String fingerprint, String keyAlgorithm,
            int keySize, byte[] certificate, byte[] encryptedKey) implements Entry {
    }

    record Revoked(long certificateId, Instant at, int reasonCode) implements Entry {
    }

    record CaDeleted(long caId, Instant at, String reason) implements Entry {
    }

    record CrlIssued(long caId, long number, Instant thisUpdate, Instant nextUpdate) implements Entry {
    }

    /** Which certificate's key the server presents for TLS. */
    record ServerCertificate(long certificateId) implements Entry {
    }

    /**
     * A monitored certificate's succession links, exactly as they are now (0: none). Format 3; a supersede
     * writes one for each side, a deletion one for each neighbour it unlinks.
     */
    record Linked(long certificateId, long predecessorId, long successorId) implements Entry {
    }

    /** A monitored certificate retired since {@code at}, or (at null) taken back. Format 3. */
    record Retired(long certificateId, Instant at) implements Entry {
    }

    /** A monitored certificate's record deleted; its id stays taken. Format 3. */
    record CertDeleted(long certificateId, Instant at) implements Entry {
    }

    /**
     * The fleet's group rename {@code number} applied: every CA and certificate at {@code from} or below it now
     * lies at {@code to} (the same rename applied again is skipped by its number). With {@code from} empty it
     * only carries the number (a rekey's new generation, whose records hold the paths already renamed). Format 4.
     */
    record GroupRenamed(long number, String from, String to) implements Entry {
    }

    /** The data key that seals small secrets, encrypted under the key password ({@code KeyVault.wrap}). Format 3. */
    record SealingKey(byte[] wrappedKey) implements Entry {
    }
}
