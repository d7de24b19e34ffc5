package org.certwatch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresServerTest {
    @Test
    void keepsItsDataAcrossAHaltAndACrashAndRemovesItsFolderAtTheEnd() throws Exception {
        Path folder;
        try (PostgresServer server = PostgresServer.start()) {
            folder = server.folder();
            assertTrue(server.jdbcUrl().endsWith(":" + server.port() + "/certwatch"), server.jdbcUrl());
            assertFalse(server.password().isBlank());
            server.sql("CREATE TABLE t (v int); INSERT INTO t VALUES (7)");
            server.halt();
            assertThrows(AssertionError.class, () -> server.sql("SELECT 1"));
            server.restart();
            server.kill9();
            server.restart();
            assertEquals("7", server.sql("SELECT v FROM t").strip());
        }
        assertFalse(Files.exists(folder), folder + " removed");
    }
}
