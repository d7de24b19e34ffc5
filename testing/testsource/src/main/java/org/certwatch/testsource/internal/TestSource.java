package org.certwatch.testsource.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.source.CertificateSource;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * A source for integration tests: the source {@code test}, whose observations come from Gogo commands
 * ({@code testsource:report ADDRESS GROUP PEMFILE}, {@code fail ADDRESS GROUP FAILURE REASON},
 * {@code gone ADDRESS GROUP}, {@code location ADDRESS GROUP}; {@code endpoint ADDRESS GROUP PEMFILE FINDINGSFILE}
 * reports an endpoint location with findings and a handshake). Removing the bundle removes the source.
 */
@Component(service = {CertificateSource.class, TestSource.class}, property = {"osgi.command.scope=testsource",
        "osgi.command.function=report", "osgi.command.function=fail", "osgi.command.function=gone",
        "osgi.command.function=location", "osgi.command.function=endpoint"})
public final class TestSource implements CertificateSource {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private final LocationRegistry registry;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    @Activate
    public TestSource(@Reference LocationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "test";
    }

    public String report(String address, String group, String pemFile) throws IOException {
        return line(registry.report(Observation.read(ref(address, group), clock.instant(), chain(pemFile))));
    }

    private static List<byte[]> chain(String pemFile) throws IOException {
        List<byte[]> chain = new ArrayList<>();
        Matcher m = PEM.matcher(Files.readString(Path.of(pemFile), StandardCharsets.US_ASCII));
        while (m.find()) {
            chain.add(Base64.getMimeDecoder().decode(m.group(1)));
        }
        return chain;
    }

    /**
     * An endpoint location read with findings: {@code findingsFile} holds one line {@code probe PROTOCOL SUITE MILLIS
     * PEER}, then one line per finding, {@code KIND INDEX TEXT…}.
     */
    public String endpoint(String address, String group, String pemFile, String findingsFile) throws IOException {
        EndpointProbe probe = null;
        List<Finding> findings = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(findingsFile), StandardCharsets.UTF_8)) {
            String[] f = line.trim().split(" ", 5);
            if (f[0].equals("probe")) {
                probe = new EndpointProbe(f[1], f[2], Duration.ofMillis(Long.parseLong(f[3])), f[4], false);
            } else if (!line.isBlank()) {
                String[] k = line.trim().split(" ", 3);
                findings.add(new Finding(FindingKind.valueOf(k[0]), Integer.parseInt(k[1]), k[2]));
            }
        }
        LocationRef ref = new LocationRef(name(), LocationKind.ENDPOINT, address, group);
        return line(registry.report(Observation.read(ref, clock.instant(), chain(pemFile), findings, probe)));
    }

    public String fail(String address, String group, String failure, String reason) {
        return line(registry.report(Observation.failed(ref(address, group), clock.instant(),
                LocationFailure.valueOf(failure), reason)));
    }

    public String gone(String address, String group) {
        registry.gone(ref(address, group));
        return location(address, group);
    }

    public String location(String address, String group) {
        return registry.location(ref(address, group)).map(TestSource::line).orElse("none");
    }

    private LocationRef ref(String address, String group) {
        return new LocationRef(name(), LocationKind.FILE, address, group);
    }

    /** One line the tests parse: {@code location ID STATE certificate ID failures N}. */
    private static String line(Location l) {
        return "location " + l.id() + " " + l.state() + " certificate " + l.certificateId() + " failures "
                + l.consecutiveFailures();
    }
}
