package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CERTWATCH-MIB as NMS tools load it: libsmi's strictest lint level and net-snmp. */
class MibIT {
    private static final Path MIBS = Path.of(System.getProperty("certwatch.root", "..")).resolve("mibs");

    static Path baseMibs() {
        String base = System.getenv("CERTWATCH_BASE_MIBS");
        assertTrue(base != null && Files.isRegularFile(Path.of(base, "SNMPv2-SMI.txt")),
                "CERTWATCH_BASE_MIBS must name a folder with the IETF base MIBs; ./certwatch test fetches them");
        return Path.of(base);
    }

    @Test
    void smilintLevelSixReportsNothing() throws Exception {
        Result result = run(List.of("smilint", "-l", "6", MIBS.resolve("CERTWATCH-MIB.txt").toString()),
                baseMibs() + ":" + MIBS);
        assertEquals("", result.output(), "smilint -l 6 findings");
        assertEquals(0, result.exit());
    }

    @Test
    void netSnmpResolvesTheModule() throws Exception {
        Result result = run(List.of("snmptranslate", "-M", baseMibs() + ":" + MIBS, "-m", "CERTWATCH-MIB", "-On",
                "CERTWATCH-MIB::cwCertTable"), null);
        assertEquals(".1.3.6.1.4.1.32473.1.1.3", result.output().trim());
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, String smiPath) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (smiPath != null) {
            builder.environment().put("SMIPATH", smiPath);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " hangs");
        return new Result(process.exitValue(), output);
    }
}
