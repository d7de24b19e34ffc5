package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: {@code certwatch migrate} moves a stopped file server to the fixture's real PostgreSQL and back. A file
 * server gets certificates, three simulated agents' computers, a CA rollover done to step 6 (old CA deleted, old
 * certificates revoked, CRLs), a notification with a test notice waiting in the outbox, a watched file (a location)
 * and its audit entries. Stopped, it is migrated (a second migrate is refused: the target is not empty; one while a
 * server runs on the folder is refused by its lock); two servers start on the database and answer the API and the
 * MIB walk of the store's tables as the file server did (a migrate into their database is refused, even with
 * {@code --force}); migrated back into a new data folder, a file server answers the same again. Last, {@code --force}:
 * the database, which holds a certificate issued there since, is emptied and receives a's folder again, verified; so
 * is one a killed {@code --force} run left marked unfinished; a data folder as the target is refused (exit 2) and left
 * as it is.
 */
class MigrateIT {
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "migrate-admin-password";
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final String USER = "migrate";
    private static final String AUTH = "migrate-auth-secret";
    private static final String PRIV = "migrate-priv-secret";
    /** A certificate issued on a server on the database, which a's data folder never holds. */
    private static final String ONLY_IN_THE_DATABASE = "only-in-the-database.migrate.example";
    /**
     * What the answers compared hold; each is compared without the fields that name the moment or the server, and
     * without a location's last check (the leader checks the watched file again after every start).
     */
    private static final List<String> ANSWERS = List.of("/api/v1/cas", "/api/v1/certificates", "/api/v1/computers",
            "/api/v1/groups", "/api/v1/users", "/api/v1/notifications", "/api/v1/rollover/1", "/api/v1/locations");
    private static final Set<String> MOMENTARY = Set.of("lastEvaluation", "generatedAt", "now", "server", "leader",
            "serverId", "lastLogin", "lastChecked", "nextCheck", "lastCheck", "lastChange", "consecutiveFailures");

    @Test
    void aFileServerMovesToPostgresqlAndBack() throws Exception {
        long started = System.nanoTime();
        try (PostgresServer db = PostgresServer.start();
                CertwatchServer a = server(CertwatchServer.prepare("migrate-a"))) {
            Path watched = Files.createDirectories(a.data().getParent().resolve("watched"));
            CertwatchServer.writeAtomically(a.etc().resolve("org.certwatch.source.files.cfg"), "allowed.roots=" + watched + "\n");
            WebUsers.fastPasswords(a);
            start(a);
            Map<String, String> before = fill(a, watched);
            String walk = walk(a);
            // the server's etc now names the database: the migrate reads it from there, as the servers will
            db.configure(a.etc());
            Migration refused = migrate(a, a.data(), a.etc(), "postgresql");
            assertEquals(2, refused.exit(), refused.output());
            assertTrue(refused.output().contains("is in use by another certwatch server"), refused.output());
            assertEquals(0, a.stop(Duration.ofSeconds(60)));

            // SIGKILL once the store is copied: the source stays as it was, and the next run starts over by itself
            Map<String, String> source = tree(a.data());
            killedAfter(a, "copied store");
            assertEquals(source, tree(a.data()), "the source after a killed migrate");
            assertTrue(db.sql("SELECT count(*) FROM certwatch_document WHERE name = 'certwatch.migrate'").strip()
                    .equals("1"), "the killed copy is marked unfinished");
            Migration there = migrate(a, a.data(), a.etc(), "postgresql");
            assertEquals(0, there.exit(), there.output());
            assertTrue(there.output().contains("unfinished migration"), there.output());
            assertEquals(source, tree(a.data()), "the source after the migrate");
            assertTrue(there.output().contains("migrated and verified"), there.output());
            assertTrue(there.output().matches("(?s).*store +certificates +(\\d+) +\\1 .*ok.*"), there.output());
            Migration again = migrate(a, a.data(), a.etc(), "postgresql");
            assertEquals(2, again.exit(), again.output());
            assertTrue(again.output().contains("is not empty"), again.output());

            Map<String, String> onDatabase;
            String walkOnDatabase;
            try (CertwatchServer b = server(db.prepareServer("migrate-b"))) {
                WebUsers.fastPasswords(b);
                CertwatchServer.writeAtomically(b.etc().resolve("org.certwatch.source.files.cfg"),
                        "allowed.roots=" + watched + "\n");
                Files.deleteIfExists(a.data().resolve("gogo.port"));
                int earlier = a.output().size();
                a.start();
                b.start();
                for (CertwatchServer s : List.of(a, b)) {
                    await(s, s == a ? earlier : 0);
                    assertEquals(before, answers(s), "the API on PostgreSQL (" + s.data() + ") as on the files");
                }
                assertEquals(walk, walk(a));
                assertEquals(walk, walk(b));
                // a migrate into the database the servers run on is refused, whatever --force says
                Path unused = Files.createDirectories(a.data().resolveSibling("data-unused")); // not a's: not locked
                Migration leased = migrate(a, unused, a.etc(), "postgresql", "--force");
                assertEquals(2, leased.exit(), leased.output());
                assertTrue(leased.output().contains("is running on PostgreSQL"), leased.output());
                // the database moves on without the data folder: a certificate only it holds
                String ca = group(b.gogo("certwatch:server-cert"), "ca=(\\d+)");
                assertTrue(b.gogo("certwatch:issue " + ca + " agent " + ONLY_IN_THE_DATABASE + " 100").contains("certificate"));
                onDatabase = answers(b);
                walkOnDatabase = walk(b);
                assertEquals(0, b.stop(Duration.ofSeconds(60)));
                assertEquals(0, a.stop(Duration.ofSeconds(60)));
            }

            // back: into a new data folder, with an etc that still names the database (the migrate's source)
            Path back = a.data().resolveSibling("data-back");
            Migration home = migrate(a, back, a.etc(), "file");
            assertEquals(0, home.exit(), home.output());
            Path etcBack = Files.createDirectories(a.data().resolveSibling("etc-back"));
            Files.copy(a.etc().resolve("org.certwatch.source.files.cfg"), etcBack.resolve("org.certwatch.source.files.cfg"));
            try (CertwatchServer c = server(CertwatchServer.ofRelease(a.home(), back))
                    .env("CERTWATCH_ETC", etcBack.toString()).env("CERTWATCH_DEPLOY", a.deploy().toString())) {
                WebUsers.fastPasswords(c);
                start(c);
                assertTrue(c.logContains(l -> l.contains("backend file")));
                assertEquals(onDatabase, answers(c), "the API on the files migrated back");
                assertEquals(walkOnDatabase, walk(c));
            }
            forced(a, db);
        }
        System.out.println("MigrateIT: " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    /**
     * {@code --force}: the database holds another state (the servers' certificate that a's folder never had) and is
     * emptied for a's folder, verified (without {@code --force} it was refused above: not empty); a run killed after
     * the store leaves it marked unfinished, and the next {@code --force} run empties it and copies again; a data
     * folder is never emptied, refused with exit 2.
     */
    private static void forced(CertwatchServer a, PostgresServer db) throws Exception {
        assertEquals("1", holding(db, ONLY_IN_THE_DATABASE), "the database holds what the folder does not");
        Map<String, String> source = tree(a.data());
        Migration forced = migrate(a, a.data(), a.etc(), "postgresql", "--force");
        assertEquals(0, forced.exit(), forced.output());
        assertTrue(forced.output().contains("WARNING: --force: emptying PostgreSQL"), forced.output());
        assertVerified(forced);
        assertEquals("0", holding(db, ONLY_IN_THE_DATABASE), "the other state is gone");

        killedAfter(a, "copied store", "--force");
        assertEquals("1", marks(db), "the killed copy is marked unfinished");
        Migration again = migrate(a, a.data(), a.etc(), "postgresql", "--force");
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("the database holds an unfinished migration: emptying it first"),
                again.output());
        assertVerified(again);
        assertEquals("0", marks(db), "the mark is gone once verified");
        assertEquals(source, tree(a.data()), "the source after the forced migrates");

        Migration folder = migrate(a, a.data(), a.etc(), "file", "--force");
        assertEquals(2, folder.exit(), folder.output());
        assertTrue(folder.output().contains("the data folder " + a.data() + " is not empty; migrate into a new or empty"
                + " folder (--data DIR) (--force never empties a data folder)"), folder.output());
        assertEquals(source, tree(a.data()), "a data folder --force was given as the target");
    }

    private static void assertVerified(Migration m) {
        assertTrue(m.output().contains("migrated and verified"), m.output());
        assertTrue(m.output().matches("(?s).*store +certificates +(\\d+) +\\1 .*ok.*"), m.output());
        assertTrue(!m.output().contains("DIFFERS"), m.output());
    }

    /** 1 while the database is marked as the target of an unfinished migrate (a removed document keeps its row). */
    private static String marks(PostgresServer db) throws Exception {
        return db.sql("SELECT count(*) FROM certwatch_document WHERE name = 'certwatch.migrate' AND value IS NOT NULL")
                .strip();
    }

    /** How many store entries hold this host name (it stands in a certificate's DER as it is). */
    private static String holding(PostgresServer db, String host) throws Exception {
        return db.sql("SELECT count(*) FROM certwatch_journal WHERE position(convert_to('" + host + "', 'UTF8')"
                + " IN record) > 0").strip();
    }

    private static CertwatchServer server(CertwatchServer s) {
        return s.env("CERTWATCH_KEY_PASSWORD", PostgresServer.SHARED_KEY_PASSWORD)
                .env("CERTWATCH_ADMIN_PASSWORD", ADMIN_PASSWORD).env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV);
    }

    private static void start(CertwatchServer s) throws Exception {
        s.start();
        await(s, 0);
    }

    /** Ready since its output's line {@code from} (a restarted server's output keeps its earlier runs). */
    private static void await(CertwatchServer s, int from) throws Exception {
        CertwatchServer.await("certwatch ready", CertwatchServer.START_TIMEOUT,
                () -> s.output().stream().skip(from).anyMatch(l -> l.contains("certwatch ready")));
        CertwatchServer.placeAtomically(TestBundles.gogoBridge(), s.deploy().resolve("gogo-bridge.jar"));
        s.awaitGogo("certwatch:rollover 1", WAIT);
        new WebClient(Integer.parseInt(s.env("CERTWATCH_HTTPS_PORT")), s.data().getParent()).awaitSignIn(ADMIN, WAIT);
    }

    /** Certificates, computers, a rollover to its end, a notice in the outbox, a location; the answers then. */
    private static Map<String, String> fill(CertwatchServer a, Path watched) throws Exception {
        String issued = a.gogo("certwatch:issue 1 agent pc-1.migrate.example 100");
        assertTrue(issued.contains("certificate"), issued);
        assertTrue(a.gogo("certwatch:group-add All/Oslo").startsWith("created group"));
        a.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
        int port = Integer.parseInt(a.env("CERTWATCH_AGENT_PORT"));
        try (Simulator agents = new Simulator(a.data().resolveSibling("agents"), "127.0.0.1", port, 3, 3,
                Clock.systemUTC())) {
            assertEquals(List.of(), agents.enrolAll(a.gogo("certwatch:enrol-token All/Oslo 3")));
            round(agents);
            long oldCa = Long.parseLong(group(a.gogo("certwatch:server-cert"), "ca=(\\d+)"));
            String rollover = a.gogo("certwatch:rollover-start " + oldCa);
            assertTrue(rollover.contains("completed=1"), rollover);
            assertTrue(a.gogo("certwatch:rollover-advance 1").contains("completed=2"));
            assertTrue(a.gogo("certwatch:rollover-advance 1").contains("completed=3"));
            round(agents);
            round(agents);
            assertTrue(a.gogo("certwatch:rollover-advance 1").contains("completed=4"));
            assertTrue(a.gogo("certwatch:rollover-advance 1").contains("completed=5"));
            a.awaitLog(l -> l.contains("agent endpoint now presents server certificate"), WAIT);
            round(agents);
            String done = a.gogo("certwatch:rollover-advance 1");
            assertTrue(done.contains("DONE completed=6"), done);
        }
        WebClient web = new WebClient(Integer.parseInt(a.env("CERTWATCH_HTTPS_PORT")), a.data().getParent());
        WebClient.Reply changed = web.send("PUT", "/api/v1/notifications/server-certificate",
                "{\"emailRecipients\":[\"ops@migrate.example\"]}", "Authorization", ADMIN);
        assertEquals(200, changed.status(), changed.body());
        WebClient.Reply test = web.send("POST", "/api/v1/notifications/server-certificate/test", "", "Authorization", ADMIN);
        assertTrue(test.status() / 100 == 2, test.body());
        Path pem = watched.resolve("site.pem");
        WebClient.run(watched, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", a.data().resolveSibling("site.key").toString(), "-out", pem.toString(), "-subj", "/CN=site.migrate.example", "-days", "30");
        assertTrue(a.gogo("certwatch:files watch " + watched + " All").startsWith("1 " + watched));
        CertwatchServer.await("the watched file's location", WAIT, () -> gogo(a, "certwatch:files locations").contains(" OK"));
        return answers(a);
    }

    private static void round(Simulator agents) throws Exception {
        for (Agent.Outcome o : agents.round()) {
            assertTrue(o.ok(), o.message());
        }
    }

    /** The answers that must not change, without the fields that name the moment or the serving server. */
    private static Map<String, String> answers(CertwatchServer s) throws Exception {
        WebClient web = new WebClient(Integer.parseInt(s.env("CERTWATCH_HTTPS_PORT")), s.data().getParent());
        Map<String, String> answers = new LinkedHashMap<>();
        for (String path : ANSWERS) {
            WebClient.Reply r = web.get(path, "Authorization", ADMIN);
            assertEquals(200, r.status(), path + ": " + r.body());
            answers.put(path, JSON.writeValueAsString(steady(JSON.readTree(r.body()))));
        }
        return answers;
    }

    private static JsonNode steady(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (MOMENTARY.contains(name)) {
                    drop.add(name);
                } else {
                    steady(o.get(name));
                }
            }
            o.remove(drop);
        } else if (node.isArray()) {
            node.forEach(MigrateIT::steady);
        }
        return node;
    }

    /** The MIB's CA and certificate tables (the store's rows). */
    private static String walk(CertwatchServer s) throws Exception {
        String agent = "udp:127.0.0.1:" + s.env("CERTWATCH_SNMP_PORT");
        StringBuilder rows = new StringBuilder();
        for (String table : List.of("CERTWATCH-MIB::cwCaTable", "CERTWATCH-MIB::cwCertTable")) {
            NetSnmp.Result r = NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, table);
            assertEquals(0, r.exit(), r.output());
            rows.append(r.output());
        }
        assertNotEquals("", rows.toString().strip());
        return rows.toString();
    }

    record Migration(int exit, String output) {
    }

    /** bin/certwatch migrate of the server's release, as an admin runs it. */
    private static Migration migrate(CertwatchServer s, Path data, Path etc, String to, String... options)
            throws Exception {
        long started = System.nanoTime();
        Process p = migration(s, data, etc, to, options).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), output);
        System.out.println("MigrateIT: migrate --to " + to + " " + String.join(" ", options) + " (exit " + p.exitValue() + ", "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms):\n" + output);
        return new Migration(p.exitValue(), output);
    }

    private static ProcessBuilder migration(CertwatchServer s, Path data, Path etc, String to, String... options) {
        List<String> command = new ArrayList<>(List.of(s.home().resolve("bin/certwatch").toString(), "migrate", "--to",
                to, "--data", data.toString(), "--etc", etc.toString()));
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CERTWATCH_KEY_PASSWORD", PostgresServer.SHARED_KEY_PASSWORD);
        return pb;
    }

    /** Starts a migrate to PostgreSQL and SIGKILLs it when it prints a line starting with {@code line}. */
    private static void killedAfter(CertwatchServer s, String line, String... options) throws Exception {
        Process p = migration(s, s.data(), s.etc(), "postgresql", options).start();
        StringBuilder seen = new StringBuilder();
        try (java.io.BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                seen.append(l).append('\n');
                if (l.strip().startsWith(line)) {
                    p.destroyForcibly(); // bin/certwatch execs the JVM: this is SIGKILL to the migrate itself
                    break;
                }
            }
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), seen.toString());
        assertEquals(137, p.exitValue(), "killed, not finished: " + seen);
    }

    /** Every file of the data folder but the lock (which holds the pid of whoever holds it) and its SHA-256. */
    private static Map<String, String> tree(Path data) throws Exception {
        Map<String, String> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(data)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals(".lock")) {
                    files.put(data.relativize(f).toString(), java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        }
        return files;
    }

    private static String group(String text, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertTrue(m.find(), pattern + " in " + text);
        return m.group(1);
    }

    private static String gogo(CertwatchServer s, String command) {
        try {
            return s.gogo(command);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
