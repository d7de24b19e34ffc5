package org.certwatch.commons.features;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** Reads the Eclipse feature format: {@code <feature id version label><plugin id version/>…</feature>}. */
public final class FeatureXml {
    private static final String FILE_SUFFIX = ".feature.xml";

    private FeatureXml() {
    }

    public static boolean isFeatureFile(Path file) {
        return file.getFileName().toString().endsWith(FILE_SUFFIX);
    }

    public static FeatureDescriptor read(Path file) throws InvalidFeatureException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new InvalidFeatureException("cannot read: " + e.getMessage());
        }
    }

    public static FeatureDescriptor parse(InputStream in) throws InvalidFeatureException, IOException {
        Document document;
        try {
            document = newBuilder().parse(in);
        } catch (SAXParseException e) {
            throw new InvalidFeatureException("not well-formed XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage());
        } catch (SAXException e) {
            throw new InvalidFeatureException("not well-formed XML: " + e.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!"feature".equals(root.getTagName())) {
            throw new InvalidFeatureException("root element is <" + root.getTagName() + ">, expected <feature>");
        }
        String id = required(root, "id", "<feature>");
        String version = required(root, "version", "<feature id=\"" + id + "\">");
        NodeList nodes = root.getElementsByTagName("plugin");
        List<FeatureDescriptor.Plugin> plugins = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element plugin = (Element) nodes.item(i);
            String pluginId = required(plugin, "id", "<plugin> #" + (i + 1));
            String pluginVersion = required(plugin, "version", "<plugin id=\"" + pluginId + "\">");
            if (!pluginId.matches("[A-Za-z0-9_.-]+") || !pluginVersion.matches("[A-Za-z0-9_.-]+")) {
                throw new InvalidFeatureException("<plugin id=\"" + pluginId + "\" version=\"" + pluginVersion
                        + "\"> has characters not allowed in a bundle name or version");
            }
            plugins.add(new FeatureDescriptor.Plugin(pluginId, pluginVersion));
        }
        return new FeatureDescriptor(id, version, root.getAttribute("label"), List.copyOf(plugins));
    }

    private static String required(Element element, String attribute, String where) throws InvalidFeatureException {
        String value = element.getAttribute(attribute).trim();
        if (value.isEmpty()) {
            throw new InvalidFeatureException(where + " has no " + attribute + " attribute");
        }
        return value;
    }

    private static DocumentBuilder newBuilder() throws InvalidFeatureException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // no stderr chatter; errors arrive as exceptions
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks secure processing", e);
        }
    }

    /** A feature file that cannot be deployed; the message says what to fix. */
    public static final class InvalidFeatureException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidFeatureException(String message) {
            super(message);
        }
    }
}
