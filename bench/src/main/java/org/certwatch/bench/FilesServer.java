package org.certwatch.bench;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.locations.internal.FileLocationStorage;
import org.certwatch.locations.internal.LocationRegistryComponent;
import org.certwatch.locations.internal.LocationsConfiguration;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreEvents;
import org.certwatch.store.internal.core.StoreSettings;

/**
 * The files benchmark's server side: the store ({@link PkiStore}, as {@link StoreBench} runs it) and the location
 * registry ({@link LocationRegistryComponent} over its file) of one data folder, as the bundles keep them; the
 * registry opened on demand.
 */
final class FilesServer implements AutoCloseable {
    private static final String PASSWORD = "benchmark-password";

    private final Path data;
    private final FileAuditLog audit;
    private final PkiStore store;
    private FileLocationStorage storage;

    private FilesServer(Path data, FileAuditLog audit, PkiStore store) {
        this.data = data;
        this.audit = audit;
        this.store = store;
    }

    static FilesServer open(Path data) throws IOException {
        FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
        try {
            return new FilesServer(data, audit, PkiStore.open(data.resolve("store"), PASSWORD.toCharArray(),
                    Clock.systemUTC(), audit, StoreEvents.NONE, List::of, StoreSettings.defaults(),
                    new BouncyCastleProvider()));
        } catch (IOException | RuntimeException e) {
            audit.close();
            throw e;
        }
    }

    LocationRegistry openRegistry() throws IOException {
        storage = new FileLocationStorage(data.resolve("locations"));
        return new LocationRegistryComponent(storage, store, audit, new LocationsConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LocationsConfiguration.class;
            }

            @Override
            public int failures_before_notice() {
                return 3;
            }
        }).open(); // reads the locations, as the server's loader thread does at a start
    }

    @Override
    public void close() throws IOException {
        if (storage != null) {
            storage.close();
        }
        store.awaitFiles();
        store.close();
        audit.close();
    }
}
