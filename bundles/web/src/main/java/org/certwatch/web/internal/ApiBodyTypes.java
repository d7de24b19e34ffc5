package org.certwatch.web.internal;

import java.util.Locale;
import java.util.Set;

/**
 * The media types the API takes request bodies in: JSON, and the file types an upload endpoint may
 * name. Never text/plain, form-urlencoded or multipart: a page elsewhere can make a browser send those
 * cross-site without asking the server first (a CORS "simple" request), JSON and the file types only
 * after a preflight this server never grants.
 */
final class ApiBodyTypes {
    static final String JSON = "application/json";
    static final Set<String> FILES = Set.of("application/x-pem-file", "application/pkix-cert", "application/x-pkcs12",
            "application/octet-stream");

    private ApiBodyTypes() {
    }

    /** The media type of a Content-Type header in lower case, without parameters; null when there is none. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    static boolean accepted(String mediaType) {
        return JSON.equals(mediaType) || FILES.contains(mediaType);
    }

    static Problem unsupported(String contentType) {
        return new Problem(415, (contentType == null ? "a request body without Content-Type"
                : "Content-Type '" + brief(contentType) + "'") + " is not accepted: send JSON with"
                + " 'Content-Type: application/json' (text/plain, forms and multipart are refused: browsers send them"
                + " from other sites)");
    }

    static Problem unsupportedFile(String contentType) {
        return new Problem(415, (contentType == null ? "an upload without Content-Type"
                : "Content-Type '" + brief(contentType) + "'") + " is not accepted for an upload: send the file as the"
                + " body with Content-Type " + String.join(", ", new java.util.TreeSet<>(FILES))
                + " (the kind is recognised from the content)");
    }

    private static String brief(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
