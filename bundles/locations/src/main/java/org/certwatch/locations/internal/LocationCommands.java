package org.certwatch.locations.internal;

import java.util.stream.Collectors;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo: {@code certwatch:locations} lists every location, one line each. */
@Component(service = LocationCommands.class, property = {"osgi.command.scope=certwatch",
        "osgi.command.function=locations", "certwatch.usage=locations: every watched location, one line each"})
public final class LocationCommands {
    private final LocationRegistry registry;

    @Activate
    public LocationCommands(@Reference LocationRegistry registry) {
        this.registry = registry;
    }

    /** {@code location ID SOURCE ADDRESS STATE certificate ID failures N}, in id order. */
    public String locations() {
        return registry.locations(LocationQuery.all()).stream().map(LocationCommands::line)
                .collect(Collectors.joining("\n"));
    }

    private static String line(Location l) {
        return "location " + l.id() + " " + l.ref().source() + " " + l.ref().address() + " " + l.state()
                + " certificate " + l.certificateId() + " failures " + l.consecutiveFailures()
                + (l.reason().isEmpty() ? "" : " (" + l.reason() + ")");
    }
}
