package org.certwatch.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesCommandTest {
    @TempDir
    Path data;
    @TempDir
    Path watched;

    @Test
    void watchesAreAddedListedRemovedAndTheirLocationsShown() throws Exception {
        MemoryLocationRegistry registry = new MemoryLocationRegistry(SettableClock.atSystemTime());
        FilesSource source = new FilesSource(data, FilesSourceTest.config(watched.toString()), registry,
                new FilesSourceTest.TestSealer(), new BouncyCastleProvider());
        FilesCommand command = new FilesCommand(source, registry);

        assertTrue(String.valueOf(command.execute(null, List.of("watch", watched + "/*.p12", "All", "secret")))
                .startsWith("refused: the keystores' password is not taken as an argument"), "never on the command line");
        Path secret = java.nio.file.Files.writeString(data.resolve("keystores.pw"), "secret\n");
        java.nio.file.Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals("1 " + watched + "/*.p12 group=All password=set", command.execute(null, List.of("watch",
                watched + "/*.p12", "All", "--password-file", secret.toString())));
        assertTrue(String.valueOf(command.execute(null, List.of("watch", "/etc/shadow")))
                .startsWith("refused: '/etc/shadow' is not under an allowed root"));
        assertEquals("1 " + watched + "/*.p12 group=All password=set", command.execute(null, List.of("list")));
        registry.put(new Location(0, new LocationRef("files", LocationKind.FILE, watched + "/a.p12#web", "All"),
                LocationState.FAILING, 7, List.of(), LocationFailure.WRONG_PASSWORD, "a.p12: wrong password", 1,
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH));
        assertEquals("1 FAILING " + watched + "/a.p12#web certificate=7 WRONG_PASSWORD: a.p12: wrong password",
                command.execute(null, List.of("locations")));
        assertEquals("unwatched 1", command.execute(null, List.of("unwatch", "1")));
        assertEquals("", command.execute(null, List.of("list")));
        assertTrue(String.valueOf(command.execute(null, List.of())).startsWith("usage: files watch"));
    }
}
