package org.certwatch.source.tls.internal;

import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.Observation;

/** A check of an endpoint that is not kept, for the console: what certwatch would see, reported nowhere. */
public interface OneOffProbe {
    Observation probe(Endpoint endpoint);
}
