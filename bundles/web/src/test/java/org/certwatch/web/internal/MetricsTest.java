package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void commonNameOfRfc4514Names() {
        assertEquals("pc-17", Metrics.commonName("CN=pc-17,OU=AGENT"));
        assertEquals("a,b", Metrics.commonName("O=x,CN=a\\,b"));
        assertEquals("", Metrics.commonName("O=none"));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\n", Metrics.label("a\"b\\c\n"));
    }

    @Test
    void onlyLocalRedirectsAfterLogin() {
        assertEquals("/certificates", WebHandler.safeNext("/certificates"));
        assertEquals("/", WebHandler.safeNext("//evil.example"));
        assertEquals("/", WebHandler.safeNext("https://evil.example"));
        assertEquals("/", WebHandler.safeNext(null));
    }
}
