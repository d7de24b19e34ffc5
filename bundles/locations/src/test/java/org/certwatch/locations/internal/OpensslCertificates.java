package org.certwatch.locations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

/** Self-signed P-256 certificates made by the real {@code openssl}, as DER. */
final class OpensslCertificates {
    private OpensslCertificates() {
    }

    static byte[] der(Path dir, String name) throws Exception {
        Path pem = dir.resolve(name + ".pem");
        Path der = dir.resolve(name + ".der");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                dir.resolve(name + ".key").toString(), "-out", pem.toString(), "-days", "90", "-subj", "/CN=" + name);
        run("openssl", "x509", "-in", pem.toString(), "-outform", "DER", "-out", der.toString());
        return Files.readAllBytes(der);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
