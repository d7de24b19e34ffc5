package org.certwatch.testing;

import java.util.HashMap;
import java.util.Map;
import org.certwatch.api.persistence.Persistence;
import org.junit.jupiter.api.AfterEach;

/** The memory backend the bundles' unit tests use keeps the same contract as the PostgreSQL one. */
class MemoryPersistenceContractTest extends PersistenceContract {
    private final MemoryPersistence backend = new MemoryPersistence();
    private final Map<String, Persistence> servers = new HashMap<>();

    @AfterEach
    void close() throws InterruptedException {
        backend.close();
    }

    @Override
    protected Persistence server(String id) {
        return servers.computeIfAbsent(id, backend::server);
    }

    @Override
    protected void cutOff() {
        backend.setAvailable(false);
    }

    @Override
    protected void restore() {
        backend.setAvailable(true);
    }
}
