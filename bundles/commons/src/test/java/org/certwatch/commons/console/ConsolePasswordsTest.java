package org.certwatch.commons.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolePasswordsTest {
    @TempDir
    Path folder;
    final ThreadIOImpl io = new ThreadIOImpl();
    CommandSession session;
    final Deque<String> typed = new ArrayDeque<>();
    final List<String> prompts = new ArrayList<>();

    @BeforeEach
    void open() {
        io.start();
        session = new CommandProcessorImpl(io).createSession(InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterEach
    void close() {
        session.close();
        io.stop();
    }

    private void terminal() {
        Function<String, char[]> reader = prompt -> {
            prompts.add(prompt);
            String line = typed.poll();
            return line == null ? null : line.toCharArray();
        };
        session.put(ConsolePasswords.SESSION_VARIABLE, reader);
    }

    private Path file(String content, String mode) throws Exception {
        Path f = folder.resolve("pw-" + mode);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void thePasswordFileOptionIsTakenOutAndAPasswordArgumentRefused() {
        ConsolePasswords.Arguments a = ConsolePasswords.Arguments.of("bob", "--password-file", "/run/pw", "All");
        assertEquals(List.of("bob", "All"), a.positional());
        assertEquals(Path.of("/run/pw"), a.passwordFile());
        assertEquals(Path.of("/x"), ConsolePasswords.Arguments.of("--password-file=/x").passwordFile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConsolePasswords.Arguments.of("bob", "secret").atMost(1, "the password"));
        assertEquals("the password is not taken as an argument (it would stay on the screen and in the console's"
                + " history): " + ConsolePasswords.HOW, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.Arguments.of("--password", "x"));
        assertEquals("--password-file needs a FILE", assertThrows(IllegalArgumentException.class,
                () -> ConsolePasswords.Arguments.of("bob", "--password-file")).getMessage());
    }

    @Test
    void aPasswordFileIsItsOwnersOnlyAndHoldsTheFirstLine() throws Exception {
        assertArrayEquals("s3cret pass".toCharArray(), ConsolePasswords.fromFile(file("  s3cret pass \nnext\n", "rw-------")));
        assertArrayEquals("ro".toCharArray(), ConsolePasswords.fromFile(file("ro", "r--------")));
        Path open = file("secret\n", "rw-r--r--");
        assertEquals(open + " is open to other users (mode 0644): a password file must be its owner's only; chmod 600 "
                + open, assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.fromFile(open)).getMessage());
        Path group = file("secret\n", "rw-r-----");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.fromFile(group)).getMessage()
                .contains("is open to its group (mode 0640)"));
        Path missing = folder.resolve("nothing");
        assertEquals(missing + ": no such password file (--password-file)",
                assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.fromFile(missing)).getMessage());
        Path empty = file("\n", "rw-------");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.fromFile(empty)).getMessage()
                .endsWith("holds no password (its first line is empty)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.fromFile(folder)).getMessage()
                .endsWith("is not a file (--password-file)"));
    }

    @Test
    void aNewPasswordIsAskedTwiceAndTwoDifferentEntriesChangeNothing() {
        terminal();
        typed.addAll(List.of("new-password", "new-password"));
        assertArrayEquals("new-password".toCharArray(), ConsolePasswords.chosen(session, null, "bob's new password"));
        assertEquals(List.of("bob's new password: ", "again, to be sure: "), prompts);
        typed.addAll(List.of("new-password", "new-pasword"));
        assertEquals("the two entries of bob's new password differ; nothing was changed", assertThrows(
                IllegalArgumentException.class, () -> ConsolePasswords.chosen(session, null, "bob's new password"))
                .getMessage());
        assertEquals("no password: the input ended", assertThrows(IllegalArgumentException.class,
                () -> ConsolePasswords.existing(session, null, "the key's password")).getMessage());
    }

    @Test
    void withoutATerminalOnlyAFileGivesAPasswordAndAnOptionalOneIsNone() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsolePasswords.chosen(session, null, "x"))
                .getMessage().startsWith("no terminal to ask for the password on: give --password-file FILE"));
        assertNull(ConsolePasswords.optional(session, null, "the keystores' password"));
        assertArrayEquals("p".toCharArray(), ConsolePasswords.chosen(session, file("p\n", "rw-------"), "x"));
        terminal();
        typed.add("");
        assertNull(ConsolePasswords.optional(session, null, "the keystores' password"), "Enter: none");
        assertEquals(List.of("the keystores' password (Enter for none): "), prompts);
    }
}
