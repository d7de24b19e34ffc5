package org.certwatch.web.internal;

/**
 * What the API and the pages do with certificates certwatch did not issue (the TLS probe's endpoints and discovery
 * too), made once and shared by {@link SourcesApi} and {@link SourcePages}.
 */
record SourceActions(Imports imports, MonitoredCertificates monitored, Locations locations, FileSources files,
        EndpointSources endpoints, DiscoverySources discovery) {
    static SourceActions of(Services services, Views views, Actions actions) {
        return new SourceActions(new Imports(services, views, actions), new MonitoredCertificates(services, views,
                actions), new Locations(services, views, actions), new FileSources(services, actions),
                new EndpointSources(services, actions), new DiscoverySources(services, actions));
    }
}
