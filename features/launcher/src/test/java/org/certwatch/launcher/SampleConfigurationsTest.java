package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleConfigurationsTest {
    private static final String METATYPE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0">
              <OCD id="org.example.internal.ExampleConfiguration" name="certwatch example" description="">
                <AD id="warning.days" type="Integer" name="Warning days" description="days before expiry" min="1" max="3650" default="90"/>
                <AD id="metrics.access" type="String" name="Metrics access" description="who may read /metrics" default="authenticated">
                  <Option label="Authenticated" value="authenticated"/>
                  <Option label="Public" value="public"/>
                </AD>
                <AD id="allowed.origins" type="String" name="Allowed origins" description="" default=""/>
              </OCD>
              <Designate pid="org.example">
                <Object ocdref="org.example.internal.ExampleConfiguration"/>
              </Designate>
            </metatype:MetaData>
            """;

    @TempDir
    Path root;

    @Test
    void everyDesignatedPidGetsAFullyCommentedSampleWithItsDefaults() throws Exception {
        Path repository = root.resolve("repository");
        TestJars.bundle(repository.resolve("org.example_1.0.0.jar"), "org.example", "1.0.0",
                Map.of("OSGI-INF/metatype/org.example.internal.ExampleConfiguration.xml", METATYPE));
        TestJars.bundle(repository.resolve("org.plain_1.0.0.jar"), "org.plain", "1.0.0", Map.of());
        Path etc = Files.createDirectories(root.resolve("etc"));

        assertEquals(List.of(etc.resolve("org.example.cfg")), SampleConfigurations.write(repository, etc));
        String sample = Files.readString(etc.resolve("org.example.cfg"));
        assertTrue(sample.startsWith("# certwatch example (org.example), from org.example 1.0.0\n"), sample);
        assertTrue(sample.contains("# Warning days: days before expiry (Integer, 1..3650)\n#warning.days = 90\n"), sample);
        assertTrue(sample.contains("(String, one of authenticated, public)\n#metrics.access = authenticated\n"), sample);
        assertTrue(sample.contains("#allowed.origins = \n"), sample);
        Properties parsed = new Properties();
        parsed.load(new StringReader(sample));
        assertTrue(parsed.isEmpty(), "a sample sets nothing until the admin uncomments a line: " + parsed);
    }

    @Test
    void anExistingFileIsLeftAlone() throws Exception {
        Path repository = root.resolve("repository");
        TestJars.bundle(repository.resolve("org.example_1.0.0.jar"), "org.example", "1.0.0",
                Map.of("OSGI-INF/metatype/x.xml", METATYPE));
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("org.example.cfg"), "warning.days = 30\n");
        assertEquals(List.of(), SampleConfigurations.write(repository, etc));
        assertEquals("warning.days = 30\n", Files.readString(etc.resolve("org.example.cfg")));
    }
}
