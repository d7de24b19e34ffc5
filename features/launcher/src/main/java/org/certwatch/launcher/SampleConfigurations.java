package org.certwatch.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.certwatch.commons.files.DurableFiles;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Writes a commented {@code <pid>.cfg} for every configurable component of the release into the
 * configuration folder, made from the metatype each bundle carries ({@code OSGI-INF/metatype}, which
 * bnd generates from the components' {@code @ObjectClassDefinition}), so the samples never drift from
 * the code. Every key is commented out, so a sample changes nothing until the admin edits it. A file
 * that is already there is left alone.
 */
final class SampleConfigurations {
    private static final String METATYPE = "OSGI-INF/metatype/";
    private static final int WIDTH = 100;

    private SampleConfigurations() {
    }

    /** Writes the missing samples from the jars in {@code repository}; answers the files written. */
    static List<Path> write(Path repository, Path etc) {
        List<Path> written = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(repository, "*.jar")) {
            for (Path jar : jars) {
                for (Map.Entry<String, String> sample : samples(jar).entrySet()) {
                    Path file = etc.resolve(sample.getKey() + ".cfg");
                    if (!Files.exists(file)) {
                        DurableFiles.write(file, sample.getValue().getBytes(StandardCharsets.UTF_8), false);
                        written.add(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new LauncherException("cannot write sample configuration into " + etc + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** Sample text by configuration PID, for every designated object class definition in one bundle. */
    static Map<String, String> samples(Path jar) throws IOException {
        Map<String, String> samples = new HashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            String bundle = file.getManifest() == null ? jar.getFileName().toString()
                    : file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName") + " "
                            + file.getManifest().getMainAttributes().getValue("Bundle-Version");
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                if (entry.getName().startsWith(METATYPE) && entry.getName().endsWith(".xml")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        samples.putAll(samples(parse(in), bundle));
                    } catch (SAXException e) {
                        throw new IOException(jar + "!/" + entry.getName() + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return samples;
    }

    private static Map<String, String> samples(Document metatype, String bundle) {
        Map<String, Element> definitions = new HashMap<>();
        for (Element ocd : elements(metatype.getDocumentElement(), "OCD")) {
            definitions.put(ocd.getAttribute("id"), ocd);
        }
        Map<String, String> samples = new HashMap<>();
        for (Element designate : elements(metatype.getDocumentElement(), "Designate")) {
            String pid = designate.getAttribute("pid");
            for (Element object : elements(designate, "Object")) {
                Element ocd = definitions.get(object.getAttribute("ocdref"));
                if (!pid.isEmpty() && ocd != null) {
                    samples.put(pid, sample(pid, ocd, bundle));
                }
            }
        }
        return samples;
    }

    private static String sample(String pid, Element ocd, String bundle) {
        StringBuilder text = new StringBuilder();
        text.append("# ").append(ocd.getAttribute("name")).append(" (").append(pid).append("), from ").append(bundle)
                .append('\n');
        comment(text, ocd.getAttribute("description"));
        text.append("# Every key below is commented out and shows its default. Uncomment a line and change its value;\n")
                .append("# the server applies an edit within about a second, after checking it against these limits.\n");
        for (Element ad : elements(ocd, "AD")) {
            text.append("#\n");
            StringBuilder about = new StringBuilder(ad.getAttribute("name"));
            if (!ad.getAttribute("description").isEmpty()) {
                about.append(": ").append(ad.getAttribute("description"));
            }
            about.append(" (").append(ad.getAttribute("type"));
            if (!ad.getAttribute("min").isEmpty() || !ad.getAttribute("max").isEmpty()) {
                about.append(", ").append(ad.getAttribute("min")).append("..").append(ad.getAttribute("max"));
            }
            List<String> options = elements(ad, "Option").stream().map(option -> option.getAttribute("value")).toList();
            if (!options.isEmpty()) {
                about.append(", one of ").append(String.join(", ", options));
            }
            comment(text, about.append(')').toString());
            text.append('#').append(ad.getAttribute("id")).append(" = ").append(ad.getAttribute("default"))
                    .append('\n');
        }
        return text.toString();
    }

    /** Appends {@code words} as comment lines of at most {@link #WIDTH} characters. */
    private static void comment(StringBuilder text, String words) {
        if (words.isBlank()) {
            return;
        }
        StringBuilder line = new StringBuilder("#");
        for (String word : words.strip().split("\\s+")) {
            if (line.length() > 1 && line.length() + 1 + word.length() > WIDTH) {
                text.append(line).append('\n');
                line = new StringBuilder("#");
            }
            line.append(' ').append(word);
        }
        text.append(line).append('\n');
    }

    private static List<Element> elements(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && element.getTagName().equals(tag)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Document parse(InputStream in) throws IOException, SAXException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks secure processing", e);
        }
    }
}
