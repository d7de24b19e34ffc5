package org.certwatch.locations.internal;

import org.certwatch.api.source.LocationRegistry;

/** The loaded locations, handed from {@link LocationRegistryComponent} to {@link LocationRegistryService}. */
public interface LocationsHandle {
    LocationRegistry registry();
}
