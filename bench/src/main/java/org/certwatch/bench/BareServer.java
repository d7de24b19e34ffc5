package org.certwatch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.certwatch.testing.CertwatchServer;

/**
 * A running {@link BareTlsServer} (its own JVM, the certwatch server's JVM options) on the key and chain of a
 * certwatch server's current server certificate, exported from its store through the console; stopped on
 * close.
 */
final class BareServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private BareServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static BareServer start(CertwatchServer server, String serverJavaOpts, int threads) throws Exception {
        Path folder = server.data().resolveSibling("bare-server");
        Files.createDirectories(folder);
        Path p12 = folder.resolve("server.p12");
        Path passwordFile = folder.resolve("password");
        String password = "bare-anchor";
        Files.deleteIfExists(passwordFile);
        // the console takes a password file that is its owner's only
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password + "\n");
        Files.deleteIfExists(p12);
        String id = server.gogo("certwatch:server-cert").trim().split(" ")[0];
        String exported = server.gogo("certwatch:export " + id + " p12 " + p12 + " --password-file " + passwordFile);
        if (!exported.startsWith("wrote")) {
            throw new IllegalStateException("the server certificate's key was not exported: " + exported);
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(Arrays.asList(serverJavaOpts.trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareTlsServer.class.getName(),
                p12.toString(), password, Integer.toString(threads)));
        Process process = new ProcessBuilder(command).redirectError(folder.resolve("stderr.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the bare TLS server did not start (" + line + "); see " + folder.resolve("stderr.log"));
        }
        System.out.println("bare JDK TLS server (anchor): pid " + process.pid() + ", port " + line.substring(10));
        return new BareServer(process, Integer.parseInt(line.substring(10).trim()));
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * A copy of the enrolled agents' folders for the anchor's simulator: the fixed answer names another computer,
     * which the agents keep in their state, and the originals go on replicating with certwatch.
     */
    Path agents(Path enrolled) throws IOException {
        Path copy = enrolled.resolveSibling(enrolled.getFileName() + "-bare");
        Golden.copyTree(enrolled, copy);
        return copy;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
