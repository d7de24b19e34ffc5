package org.certwatch.source.tls.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code certwatch:endpoints} on the console (server administrators at the server):
 * {@code endpoints add HOST PORT [sni=NAME] [protocol=TLS|SMTP|…] [group=PATH] [interval=PT1M] [ca=PEMFILE]},
 * {@code endpoints probe HOST PORT [options as for add]} (one check of an endpoint that is not kept: the handshake
 * and every finding, one a line), {@code endpoints list}, {@code endpoints remove ID}, {@code endpoints check ID},
 * {@code endpoints locations} (with each location's findings and handshake).
 */
@Component(service = Function.class, property = {"osgi.command.scope=certwatch",
    "osgi.command.function=endpoints", "certwatch.usage=" + EndpointsCommand.COMMANDS + ": the TLS endpoints the server probes"})
public final class EndpointsCommand implements Function {
    /** What the console's {@code help} lists (without it the command showed no usage there) and a wrong call answers. */
    static final String COMMANDS = "endpoints add HOST PORT [sni=NAME] [protocol=TLS|SMTP|IMAP|POP3|LDAP|FTP"
            + "|POSTGRESQL] [group=PATH] [interval=PT1M] [ca=PEMFILE] | endpoints probe HOST PORT [the same options]"
            + " | endpoints list | endpoints remove ID"
            + " | endpoints check ID | endpoints locations";
    private static final String USAGE = "usage: " + COMMANDS;
    private final Endpoints endpoints;
    private final OneOffProbe oneOff;
    private final LocationRegistry registry;

    @Activate
    public EndpointsCommand(@Reference Endpoints endpoints, @Reference OneOffProbe oneOff,
            @Reference LocationRegistry registry) {
        this.endpoints = endpoints;
        this.oneOff = oneOff;
        this.registry = registry;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = arguments.stream().map(String::valueOf).toList();
        try {
            return switch (args.isEmpty() ? "" : args.get(0)) {
                case "add" -> line(endpoints.create(parse(args), "console"));
                case "probe" -> observation(oneOff.probe(parse(args)));
                case "list" -> String.join("\n", endpoints.endpoints().stream().map(EndpointsCommand::line).toList());
                case "remove" -> {
                    endpoints.delete(argument(args, 1), "console");
                    yield "removed " + args.get(1);
                }
                case "check" -> {
                    endpoints.checkNow(argument(args, 1));
                    yield "checking " + args.get(1);
                }
                case "locations" -> String.join("\n", registry.locations(new LocationQuery(List.of(),
                        EndpointCheck.SOURCE, null, 0, 0, 0)).stream().map(EndpointsCommand::line).toList());
                default -> USAGE;
            };
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static Endpoint parse(List<String> args) {
        String host = argument(args, 1);
        int port;
        try {
            port = Integer.parseInt(argument(args, 2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + args.get(2) + "' is not a number");
        }
        String sni = "";
        EndpointProtocol protocol = EndpointProtocol.TLS;
        String group = "All";
        Duration interval = null;
        String ca = "";
        for (String option : args.subList(3, args.size())) {
            int eq = option.indexOf('=');
            String value = eq < 0 ? "" : option.substring(eq + 1);
            switch (eq < 0 ? option : option.substring(0, eq)) {
                case "sni" -> sni = value;
                case "protocol" -> protocol = EndpointProtocol.valueOf(value.toUpperCase(Locale.ROOT));
                case "group" -> group = value;
                case "interval" -> interval = Duration.parse(value);
                case "ca" -> ca = read(value);
                default -> throw new IllegalArgumentException(USAGE);
            }
        }
        return new Endpoint(null, host, port, sni, protocol, group, interval, ca, false, "", null);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String argument(List<String> args, int i) {
        if (args.size() <= i) {
            throw new IllegalArgumentException(USAGE);
        }
        return args.get(i);
    }

    private static String line(Endpoint e) {
        return e.id() + " " + e.address() + " group=" + e.homeGroup()
                + (e.interval() == null ? "" : " interval=" + e.interval())
                + (e.extraCaPem().isEmpty() ? "" : " extra-ca");
    }

    /**
     * {@code failed FAILURE reason}, or {@code read PROTOCOL SUITE DURATION_MS PEER certificates=N notAfter=LEAF'S}
     * and then {@code KIND INDEX text} per finding.
     */
    private static String observation(Observation o) {
        if (!o.succeeded()) {
            return "failed " + o.failure() + " " + o.reason();
        }
        EndpointProbe p = o.probe();
        List<String> lines = new ArrayList<>(List.of("read " + p.protocol() + " " + p.cipherSuite() + " "
                + p.duration().toMillis() + "ms " + p.peerAddress() + " certificates=" + o.chain().size()
                + " notAfter=" + notAfter(o.chain().get(0))));
        for (Finding f : o.findings()) {
            lines.add(f.kind() + " " + f.certificateIndex() + " " + f.text());
        }
        return String.join("\n", lines);
    }

    private static String notAfter(byte[] der) {
        try {
            return PemCertificates.der(der).getNotAfter().toInstant().toString();
        } catch (CertificateException e) {
            return "unreadable";
        }
    }

    /** {@code ID STATE ADDRESS certificate=N [FAILURE: reason] [probe=PROTOCOL] [findings=KIND,…]}. */
    private static String line(Location l) {
        List<String> parts = new ArrayList<>(List.of(Long.toString(l.id()), l.state().name(), l.ref().address(),
                "certificate=" + l.certificateId()));
        if (l.probe() != null) {
            parts.add("probe=" + l.probe().protocol());
        }
        if (!l.findings().isEmpty()) {
            parts.add("findings=" + String.join(",", l.findings().stream().map(f -> f.kind().name()).toList()));
        }
        if (l.failure() != null) {
            parts.add(l.failure() + ": " + l.reason());
        }
        return String.join(" ", parts);
    }
}
