package org.certwatch.crypto.internal;

import java.security.Security;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Puts {@link HandshakeCryptoProvider} first in the JVM's provider list while this component is active, and
 * takes it out again on deactivate, so an update or removal of the bundle leaves the JDK's providers
 * as they were (and no provider of an old bundle revision behind). The provider list is JVM-wide state:
 * this component is its only writer in certwatch.
 */
@Component(service = {}, immediate = true, configurationPid = "org.certwatch.crypto",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CryptoConfiguration.class)
public final class HandshakeCryptoComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.crypto");

    private final boolean installed;

    @Activate
    public HandshakeCryptoComponent(CryptoConfiguration config) {
        installed = config.bouncycastle() && install();
        if (installed) {
            LOG.info("TLS handshake crypto (ECDSA signatures, EC and X25519 key shares) by Bouncy Castle, ahead of SunEC");
        } else {
            LOG.info("TLS handshake crypto by the JDK's providers (bouncycastle = false)");
        }
    }

    @Deactivate
    void stop() {
        if (installed) {
            Security.removeProvider(HandshakeCryptoProvider.NAME);
        }
    }

    /** First in the list; a provider of the same name left by anyone else is replaced. */
    static boolean install() {
        Security.removeProvider(HandshakeCryptoProvider.NAME);
        return Security.insertProviderAt(new HandshakeCryptoProvider(), 1) == 1;
    }
}
