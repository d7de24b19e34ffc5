package org.certwatch.source.tls.internal.starttls;

import java.time.Clock;
import org.certwatch.api.source.EndpointProtocol;

/** The dialect for each STARTTLS protocol. */
public final class StartTlsDialects {
    private StartTlsDialects() {
    }

    /**
     * The dialect whose deadlines are on the system clock: a network exchange lasts real seconds whatever time a
     * test has moved the registry's clock to.
     *
     * @throws IllegalArgumentException for {@link EndpointProtocol#TLS} and protocols without a dialect
     */
    public static StartTlsDialect of(EndpointProtocol protocol) {
        return of(protocol, Clock.systemUTC());
    }

    /** The dialect whose deadlines are on {@code clock}. */
    public static StartTlsDialect of(EndpointProtocol protocol, Clock clock) {
        return switch (protocol) {
            case SMTP -> new SmtpDialect(clock);
            case IMAP -> new ImapDialect(clock);
            case POP3 -> new Pop3Dialect(clock);
            case LDAP -> new LdapDialect(clock);
            case FTP -> new FtpDialect(clock);
            case POSTGRESQL -> new PostgresqlDialect(clock);
            default -> throw new IllegalArgumentException("STARTTLS for " + protocol + " is not supported");
        };
    }
}
