package org.certwatch.store.internal;

import org.certwatch.api.store.SecretSealer;
import org.certwatch.store.internal.core.PkiStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Publishes the open store's {@link SecretSealer}; there while {@link StoreComponent} has the store open. */
@Component(service = SecretSealer.class)
public final class SecretSealerService implements SecretSealer {
    private final PkiStore store;

    @Activate
    public SecretSealerService(@Reference StoreHandle handle) {
        this.store = handle.store();
    }

    @Override
    public String seal(char[] secret) {
        return store.seal(secret);
    }

    @Override
    public char[] open(String sealed) {
        return store.open(sealed);
    }
}
