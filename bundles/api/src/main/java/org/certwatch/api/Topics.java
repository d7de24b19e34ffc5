package org.certwatch.api;

/** EventAdmin topics certwatch bundles publish; subscribers may use {@code org/certwatch/*}. */
public final class Topics {
    public static final String PREFIX = "org/certwatch/";
    public static final String CERTIFICATE_ISSUED = PREFIX + "certificate/ISSUED";
    public static final String CERTIFICATE_IMPORTED = PREFIX + "certificate/IMPORTED";
    public static final String CERTIFICATE_RENEWED = PREFIX + "certificate/RENEWED";
    public static final String CERTIFICATE_REVOKED = PREFIX + "certificate/REVOKED";
    public static final String CERTIFICATE_EXPIRING = PREFIX + "certificate/EXPIRING";
    public static final String CERTIFICATE_EXPIRED = PREFIX + "certificate/EXPIRED";
    /** A certificate got a successor, or was retired or taken back; property {@code certificate.id}. */
    public static final String CERTIFICATE_CHANGED = PREFIX + "certificate/CHANGED";
    /** A monitored certificate's record was deleted; property {@code certificate.id}. */
    public static final String CERTIFICATE_DELETED = PREFIX + "certificate/DELETED";
    /**
     * A location changed state, certificate or findings, or one more failed check was counted; properties
     * {@code location.id}, {@code state}, {@code previous.state}, {@code certificate.id}, {@code source},
     * {@code address}, {@code group}, {@code findings} (the kinds of its findings now, {@code String[]}, since 1.5).
     */
    public static final String LOCATION_CHANGED = PREFIX + "location/CHANGED";
    /**
     * A location reached the configured number of consecutive failed checks (once per failing spell); properties
     * as {@link #LOCATION_CHANGED} plus {@code failure}, {@code reason}, {@code failures}.
     */
    public static final String LOCATION_FAILING = PREFIX + "location/FAILING";
    /** A location announced as failing was read again; properties as {@link #LOCATION_CHANGED}. */
    public static final String LOCATION_RECOVERED = PREFIX + "location/RECOVERED";
    /**
     * A finding appeared at a location or cleared (a kind about a certificate of its chain; once per change, not per
     * check, and not for a finding's text alone); properties as {@link #LOCATION_CHANGED} plus {@code findings.text}
     * (the findings' texts now, in the order of {@code findings}) and {@code previous.findings} (the kinds before).
     *
     * @since 1.5
     */
    public static final String LOCATION_FINDINGS = PREFIX + "location/FINDINGS";
    public static final String CA_CREATED = PREFIX + "ca/CREATED";
    public static final String CA_EXPIRING = PREFIX + "ca/EXPIRING";
    public static final String CA_EXPIRED = PREFIX + "ca/EXPIRED";
    public static final String CA_DELETED = PREFIX + "ca/DELETED";
    /**
     * A CA's record changed otherwise (its group was renamed); property {@code ca.id}. Certificates moved with a
     * renamed group are announced as {@link #CERTIFICATE_CHANGED}.
     *
     * @since 1.8
     */
    public static final String CA_CHANGED = PREFIX + "ca/CHANGED";
    public static final String COMPUTER_STATUS_CHANGED = PREFIX + "computer/STATUS_CHANGED";
    public static final String COMPUTER_ADDED = PREFIX + "computer/ADDED";
    /** Superseded by the two below (kept so subscribers compile; not posted any more). */
    public static final String COMPUTER_REPLICATED = PREFIX + "computer/REPLICATED";
    /**
     * What a computer's status follows changed: the certificate its agent authenticated with (a replication
     * with another certificate than the last one), its name or its group; properties {@code computer.id},
     * {@code certificate.id}.
     */
    public static final String COMPUTER_CHANGED = PREFIX + "computer/CHANGED";
    /**
     * Agents replicated (at most one such event a second, for all of them): property {@code computer.ids}
     * ({@code long[]}, the computers that replicated since the last one, each once) and {@code count}.
     */
    public static final String COMPUTERS_REPLICATED = PREFIX + "computer/REPLICATIONS";
    /** The certificate the server presents changed; TLS endpoints reload. */
    public static final String SERVER_CERTIFICATE_CHANGED = PREFIX + "server/CERTIFICATE_CHANGED";
    /** Superseded by the two below (kept so subscribers compile; not posted any more). */
    public static final String ROLLOVER_STEP_CHANGED = PREFIX + "rollover/STEP_CHANGED";
    /**
     * A rollover step was completed; properties {@code rollover.id}, {@code step} (1..6), {@code step.name},
     * {@code old.ca.id}, {@code new.ca.id}, {@code actor}, {@code reason} (what was done, or the force reason).
     */
    public static final String ROLLOVER_STEP_COMPLETED = PREFIX + "rollover/STEP_COMPLETED";
    /** A rollover step was refused by its gate; same properties, {@code reason} names the blockers. */
    public static final String ROLLOVER_STEP_BLOCKED = PREFIX + "rollover/STEP_BLOCKED";
    /**
     * A user was changed (home group, permissions, enabled), their password set, or the user was deleted,
     * here or on another server sharing the storage; property {@code user.name}. Whoever keeps credentials
     * it verified earlier, or sessions, checks that user's again.
     */
    public static final String USER_CHANGED = PREFIX + "user/CHANGED";
    /**
     * A group was created, deleted or renamed; properties {@code group.path}, {@code change} ({@code CREATED},
     * {@code DELETED}, since 1.8 {@code RENAMED}: {@code group.path} is the new path). The SNMP agent's group
     * contexts follow it.
     */
    public static final String GROUP_CHANGED = PREFIX + "group/CHANGED";
    /**
     * A group was renamed (its subgroups with it), here or on another server sharing the storage, and the
     * fleet's own data follows it; properties {@code rename.number}, {@code from}, {@code to} (paths). Every
     * bundle that stores group paths applies the renames it has not applied yet ({@code GroupRenames}).
     *
     * @since 1.8
     */
    public static final String GROUP_RENAMED = PREFIX + "group/RENAMED";
    /** The registry's clock jumped (a test clock was moved); schedulers re-plan. */
    public static final String CLOCK_CHANGED = PREFIX + "clock/CHANGED";

    private Topics() {
    }
}
