package org.certwatch.web.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Request;

/**
 * Refuses state-changing requests that a browser makes on behalf of another site. A browser sends
 * {@code Origin} with every POST, PUT, PATCH and DELETE and, when it is recent, {@code Sec-Fetch-Site};
 * a page elsewhere can make the browser send such a request with the credentials it remembers, so
 * neither the session cookie's SameSite nor a CSRF token protects HTTP Basic. Scripts send neither
 * header and pass.
 *
 * <p>The server's own origin is the request's scheme with its {@code Host} (HTTP/2: {@code :authority});
 * behind a reverse proxy the browser's origin is the proxy's, which {@code allowed.origins} names.
 */
final class CrossSiteGuard {
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");

    /** An origin as compared: scheme and host in lower case, the port made explicit. */
    record Origin(String scheme, String host, int port) {
        /** The origin in a header or the configuration, or null when it is none (including "null"). */
        static Origin parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                URI uri = new URI(text.trim());
                String scheme = uri.getScheme();
                String host = uri.getHost();
                if (scheme == null || host == null || uri.getRawUserInfo() != null
                        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    return null;
                }
                return of(scheme, host, uri.getPort());
            } catch (URISyntaxException e) {
                return null;
            }
        }

        static Origin of(String scheme, String host, int port) {
            String s = scheme.toLowerCase(Locale.ROOT);
            String h = host.toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            return new Origin(s, h, port > 0 ? port : s.equals("http") ? 80 : s.equals("https") ? 443 : -1);
        }
    }

    private final Set<Origin> allowed;

    /** {@code allowedOrigins}: the comma-separated {@code allowed.origins} of the web configuration. */
    CrossSiteGuard(String allowedOrigins) {
        Set<Origin> origins = new LinkedHashSet<>();
        for (String entry : (allowedOrigins == null ? "" : allowedOrigins).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            Origin o = Origin.parse(entry);
            if (o == null) {
                LOG.warning("web: allowed.origins entry '" + entry.trim() + "' (etc/org.certwatch.web.cfg) is not an origin"
                        + " like https://certwatch.example.org:8443; ignored");
            } else {
                origins.add(o);
            }
        }
        this.allowed = Set.copyOf(origins);
    }

    Set<Origin> allowed() {
        return allowed;
    }

    /** Why this request counts as cross-site, or null when it may go on. Asked of state-changing requests only. */
    String refusal(Request request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
            return "cross-site request (Sec-Fetch-Site: cross-site)";
        }
        String origin = request.getHeaders().get("Origin");
        if (origin == null) {
            return null;
        }
        Origin sent = Origin.parse(origin);
        if (sent != null) {
            String host = Request.getServerName(request);
            Origin own = host == null ? null
                    : Origin.of(request.getHttpURI().getScheme() == null ? "https" : request.getHttpURI().getScheme(), host,
                            Request.getServerPort(request));
            if (sent.equals(own) || allowed.contains(sent)) {
                return null;
            }
        }
        return "cross-site request (Origin " + brief(origin) + ")";
    }

    /** The header as sent, cut short: it goes into the audit log and the answer. */
    private static String brief(String origin) {
        String o = origin.trim();
        return o.length() <= 200 ? o : o.substring(0, 200) + "…";
    }
}
