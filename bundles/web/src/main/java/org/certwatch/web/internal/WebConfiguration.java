package org.certwatch.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.web} ({@code etc/org.certwatch.web.cfg}); port and bind address come from the environment. */
@ObjectClassDefinition(name = "certwatch web")
public @interface WebConfiguration {
    @AttributeDefinition(description = "who may read GET /metrics: 'authenticated' (a user with certificate read"
            + " permission, by session or HTTP Basic; they see their own scope) or 'public' (no login, everything)")
    String metrics_access() default "authenticated";

    @AttributeDefinition(description = "warm /metrics up after the start (every certificate's labels made, and the code"
            + " that writes them compiled, before the first scrape) and keep changed certificates' labels made;"
            + " false: the first scrape does it (cold: 10-20 s at 100,000 certificates on a loaded machine)")
    boolean metrics_warmup() default true;

    @AttributeDefinition(description = "minutes of inactivity after which a login session expires", min = "1", max = "1440")
    int session_idle_minutes() default 30;

    @AttributeDefinition(description = "consecutive failed logins for one user name before the lockout delay applies",
            min = "1", max = "100")
    int lockout_failures() default 5;

    @AttributeDefinition(description = "seconds a user name is locked after that many failures; doubles with every"
            + " further failure (capped at one hour)", min = "1", max = "3600")
    int lockout_seconds() default 30;

    @AttributeDefinition(description = "seconds for which HTTP Basic credentials, once verified, are accepted again"
            + " without the slow password hash (0: verify every request); bounds how long an old password keeps"
            + " working after a change", min = "0", max = "3600")
    int basic_cache_seconds() default 60;

    @AttributeDefinition(description = "origins besides the server's own (https and the Host a request names) from which"
            + " browsers may send state-changing requests, comma-separated, e.g. the address of a reverse proxy:"
            + " https://certwatch.example.org")
    String allowed_origins() default "";

    @AttributeDefinition(description = "warning window in days when the monitor bundle is absent", min = "1", max = "3650")
    int warning_days() default 90;
}
