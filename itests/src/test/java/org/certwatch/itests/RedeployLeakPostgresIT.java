package org.certwatch.itests;

import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link RedeployLeakIT} on the PostgreSQL backend (the shared fixture), for the bundles whose state lives there
 * through the persistence seam (the snmp bundle's targets, the mail bundle's settings, the monitor's documents and
 * outbox): each redeployed twice leaves exactly one class loader. The web bundle, which keeps nothing there, is
 * left to the file run.
 */
class RedeployLeakPostgresIT extends RedeployLeakIT {
    private PostgresServer database;

    @Override
    CertwatchServer prepare() throws Exception {
        database = PostgresServer.start();
        return database.prepareServer("redeploy-leak-pg");
    }

    @Override
    List<String> redeployed() {
        return List.of("snmp", "mail", "monitor");
    }

    @Override
    @AfterAll
    void stop() throws Exception {
        try {
            super.stop();
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }
}
