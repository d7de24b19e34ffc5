package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendSelectionTest {
    @TempDir
    Path etc;

    private Path cfg(String text) throws Exception {
        return Files.writeString(etc.resolve("org.certwatch.persistence.postgresql.cfg"), text);
    }

    @Test
    void theFileBackendWithoutAConfiguration() {
        BackendSelection chosen = BackendSelection.choose(etc);
        assertEquals("file", chosen.backend());
        assertEquals(Set.of("postgresql"), chosen.withheldFeatures(), "no database bundles in file mode");
    }

    @Test
    void theSampleWithItsUrlCommentedOutDoesNotChoosePostgresql() throws Exception {
        cfg("# certwatch PostgreSQL backend\n#url = \n#user = certwatch\n");
        assertEquals("file", BackendSelection.choose(etc).backend());
        cfg("url =   \n");
        assertEquals("file", BackendSelection.choose(etc).backend(), "an empty url");
        cfg("url = \"\"\n");
        assertEquals("file", BackendSelection.choose(etc).backend(), "a quoted empty url");
    }

    @Test
    void aUrlChoosesPostgresql() throws Exception {
        cfg("url = jdbc:postgresql://127.0.0.1:5432/certwatch\npassword.file = pg-password\n");
        BackendSelection chosen = BackendSelection.choose(etc);
        assertEquals("postgresql", chosen.backend());
        assertTrue(chosen.reason().endsWith("names a url"), chosen.reason());
        assertEquals(Set.of(), chosen.withheldFeatures());
    }
}
