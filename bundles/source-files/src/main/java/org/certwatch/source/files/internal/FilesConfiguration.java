package org.certwatch.source.files.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.source.files} ({@code etc/org.certwatch.source.files.cfg}). */
@ObjectClassDefinition(name = "certwatch files source")
public @interface FilesConfiguration {
    @AttributeDefinition(description = "absolute folders watched paths must lie under (comma-separated);"
            + " none: every watch is refused")
    String[] allowed_roots() default {};

    @AttributeDefinition(description = "how often every watched path is scanned again (ISO-8601 duration, at least"
            + " PT1S), the safety net behind file-system events")
    String rescan_interval() default "PT5M";

    @AttributeDefinition(description = "quiet time after a file-system event before the file is read, in"
            + " milliseconds: a file being written is read once, when done", min = "0", max = "60000")
    int debounce_ms() default 300;

    @AttributeDefinition(description = "largest file read, in bytes; a larger one is TOO_LARGE", min = "1024",
            max = "268435456")
    int max_file_bytes() default 4 * 1024 * 1024;

    @AttributeDefinition(description = "most aliases of one keystore; more is TOO_LARGE", min = "1", max = "1000000")
    int max_aliases() default 1000;

    @AttributeDefinition(description = "most certificates in one file (a PEM bundle, a keystore's chains);"
            + " more is TOO_LARGE", min = "1", max = "1000000")
    int max_certificates() default 1000;

    @AttributeDefinition(description = "most files one watched path may match; the scan stops there and says so",
            min = "1", max = "10000000")
    int max_files_per_watch() default 250_000;
}
