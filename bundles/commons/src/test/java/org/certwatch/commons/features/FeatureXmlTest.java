package org.certwatch.commons.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureXmlTest {

    private static FeatureDescriptor parse(String xml) throws Exception {
        return FeatureXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsIdVersionLabelAndPlugins() throws Exception {
        FeatureDescriptor feature = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="core" version="1.2.3" label="Core">
                  <plugin id="org.certwatch.api" version="1.2.3.SNAPSHOT"/>
                  <plugin id="org.certwatch.store" version="1.2.3"/>
                </feature>
                """);
        assertEquals("core", feature.id());
        assertEquals("1.2.3", feature.version());
        assertEquals("Core", feature.label());
        assertEquals(List.of(new FeatureDescriptor.Plugin("org.certwatch.api", "1.2.3.SNAPSHOT"),
                new FeatureDescriptor.Plugin("org.certwatch.store", "1.2.3")), feature.plugins());
        assertEquals("org.certwatch.api_1.2.3.SNAPSHOT.jar", feature.plugins().get(0).repositoryFileName());
        assertEquals("org.certwatch.api.jar", feature.plugins().get(0).deployFileName());
    }

    @Test
    void malformedXmlNamesLineAndColumn() {
        FeatureXml.InvalidFeatureException e = assertThrows(FeatureXml.InvalidFeatureException.class,
                () -> parse("<feature id=\"x\" version=\"1\">\n<plugin id=\"a\"</feature>"));
        assertTrue(e.getMessage().startsWith("not well-formed XML at line 2"), e.getMessage());
    }

    @Test
    void missingAttributesAndWrongRootAreNamed() {
        assertEquals("<feature> has no id attribute", assertThrows(FeatureXml.InvalidFeatureException.class,
                () -> parse("<feature version=\"1\"/>")).getMessage());
        assertEquals("<plugin id=\"a\"> has no version attribute", assertThrows(FeatureXml.InvalidFeatureException.class,
                () -> parse("<feature id=\"f\" version=\"1\"><plugin id=\"a\"/></feature>")).getMessage());
        assertEquals("root element is <features>, expected <feature>", assertThrows(FeatureXml.InvalidFeatureException.class,
                () -> parse("<features/>")).getMessage());
    }

    @Test
    void pluginNamesCannotEscapeTheRepositoryFolder() {
        FeatureXml.InvalidFeatureException e = assertThrows(FeatureXml.InvalidFeatureException.class,
                () -> parse("<feature id=\"f\" version=\"1\"><plugin id=\"../../etc/passwd\" version=\"1\"/></feature>"));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void doctypeIsRefused() {
        assertThrows(FeatureXml.InvalidFeatureException.class, () -> parse("""
                <?xml version="1.0"?>
                <!DOCTYPE feature [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <feature id="f" version="1">&x;</feature>
                """));
    }
}
