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
        Exchange exchange = switch (protocol) {
            case SMTP -> new SmtpExchange();
            case IMAP -> new ImapExchange();
            case POP3 -> new Pop3Exchange();
            case LDAP -> new LdapExchange();
            case FTP -> new FtpExchange();
            case POSTGRESQL -> new PostgresqlExchange();
            default -> throw new IllegalArgumentException("STARTTLS for " + protocol + " is not supported");
        };
        return new ConversationDialect(protocol, exchange, clock);
    }
}
