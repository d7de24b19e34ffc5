package org.certwatch.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;

/**
 * The store's serving components are disabled when the store closes while its bundle stays (the backend went, the
 * configuration changed), so they wait for the next open; never while the bundle stops: SCR disposes them with it,
 * and a disable asked for then left each old revision's class loader in SCR's registry (the snmp bundle's leak).
 */
class StoreComponentStopTest {
    private static final List<String> SERVING = List.of("a.Serving", "b.Serving");

    @Test
    void aStoreThatClosesWhileItsBundleStaysDisablesItsServingComponents() {
        assertEquals(SERVING, disabledWhile(Bundle.ACTIVE));
    }

    @Test
    void aBundleThatStopsDisposesThemItselfAndNothingIsDisabled() {
        assertEquals(List.of(), disabledWhile(Bundle.STOPPING));
    }

    private static List<String> disabledWhile(int bundleState) {
        List<String> disabled = new CopyOnWriteArrayList<>();
        Bundle bundle = proxy(Bundle.class, (name, args) -> name.equals("getState") ? bundleState : null);
        BundleContext context = proxy(BundleContext.class, (name, args) -> name.equals("getBundle") ? bundle : null);
        ComponentContext component = proxy(ComponentContext.class, (name, args) -> {
            if (name.equals("disableComponent")) {
                disabled.add((String) args[0]);
            }
            return name.equals("getBundleContext") ? context : null;
        });
        StoreComponent.disableUnlessStopping(component, SERVING);
        return disabled;
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> answer.answer(method.getName(), args)));
    }
}
