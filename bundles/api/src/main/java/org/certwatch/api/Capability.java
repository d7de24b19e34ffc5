package org.certwatch.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Header;

/**
 * Declares, on the component that announces it, a capability the bundle registers as {@link Serving}:
 * bnd writes it into the bundle's {@value Serving#HEADER} header.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Header(name = Serving.HEADER, value = "${#value}")
public @interface Capability {
    String value();
}
