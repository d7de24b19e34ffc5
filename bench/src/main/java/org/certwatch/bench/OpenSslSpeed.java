package org.certwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The anchor of the store and fleet figures: {@code openssl speed -seconds 3 ecdsap256} (one core). */
record OpenSslSpeed(double sign, double verify) {
    private static final Pattern LINE = Pattern.compile(
            "256 bits ecdsa \\(nistp256\\)\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)");

    static OpenSslSpeed ecdsaP256() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "speed", "-seconds", "3", "ecdsap256").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl speed failed: " + out);
        }
        Matcher m = LINE.matcher(out);
        if (!m.find()) {
            throw new IOException("no ecdsap256 sign/s and verify/s in the output of openssl speed:\n" + out);
        }
        return new OpenSslSpeed(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }
}
