package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Jetty's own refusals in words that fit them. */
class ProblemErrorHandlerTest {
    @Test
    void aBadHeaderIsNotAPathProblemAndItsValueIsNotEchoed() {
        String header = ProblemErrorHandler.title(400, "Illegal header value Bearer cwapi_0dc555ddcf65_\u0001");
        assertEquals("bad request: a header value holds a character HTTP does not allow (a control character)", header);
        assertFalse(header.contains("cwapi_"));
        assertEquals("bad request: Ambiguous URI path separator (paths must not contain '..' or encoded separators)",
                ProblemErrorHandler.title(400, "Ambiguous URI path separator"));
        assertEquals("bad request: malformed request", ProblemErrorHandler.title(400, null));
        assertEquals("internal error; the server log has the details", ProblemErrorHandler.title(500, "NPE at …"));
    }
}
