package org.certwatch.store.internal;

import java.time.Clock;
import org.certwatch.store.internal.core.PkiStore;

/**
 * The opened store, handed from {@link StoreComponent} to the components it enables once the store
 * is open ({@link CertificateStoreService}, {@link StoreCommands}, {@link CrlRefresher}).
 */
public interface StoreHandle {
    PkiStore store();

    /** Where the key password came from (environment, file, generated), for messages. */
    String passwordOrigin();

    /** The registry's best-ranked clock; a moved test clock moves it too. */
    Clock clock();
}
