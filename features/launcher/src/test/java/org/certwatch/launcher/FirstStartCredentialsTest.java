package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartCredentialsTest {
    @TempDir
    Path data;

    @Test
    void writesGeneratedValuesForWhatIsNotPresetOnceWithMode0600() throws Exception {
        Path file = FirstStartCredentials.writeIfFirstStart(data,
                Map.of("CERTWATCH_ADMIN_PASSWORD", "preset"),
                new SecureRandom());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String content = Files.readString(file);
        assertFalse(content.contains("CERTWATCH_ADMIN_PASSWORD"), content);
        assertFalse(content.contains("CERTWATCH_KEY_PASSWORD"), "the key password lives outside the data folder");
        assertTrue(content.contains("CERTWATCH_SNMP_USER=certwatch"), content);
        assertTrue(content.matches("(?s).*CERTWATCH_SNMP_AUTH_PASSWORD=[A-Za-z0-9]{24}\n.*"), content);

        assertNull(FirstStartCredentials.writeIfFirstStart(data, Map.of(), new SecureRandom()), "only the first start");
        assertEquals(content, Files.readString(file));
    }

    @Test
    void everythingPresetWritesNoFile() {
        Map<String, String> env = Map.of("CERTWATCH_ADMIN_PASSWORD", "a", "CERTWATCH_SNMP_USER", "u",
                "CERTWATCH_SNMP_AUTH_PASSWORD", "b", "CERTWATCH_SNMP_PRIV_PASSWORD", "c");
        assertNull(FirstStartCredentials.writeIfFirstStart(data, env, new SecureRandom()));
        assertFalse(Files.exists(data.resolve(FirstStartCredentials.FILE)));
    }
}
