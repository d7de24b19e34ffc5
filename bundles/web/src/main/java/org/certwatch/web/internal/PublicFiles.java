package org.certwatch.web.internal;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;

/** What anyone may fetch without logging in: the stylesheet, and CRLs at the distribution point. */
final class PublicFiles extends ExchangeStep {
    private final Services services;
    private final byte[] stylesheet = resource("/static/style.css");

    PublicFiles(Services services, Handler next) {
        super(next);
        this.services = services;
    }

    @Override
    boolean handle(Exchange ex) {
        if (ex.path.equals("/static/style.css")) {
            ex.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
            ex.send(200, "text/css; charset=utf-8", stylesheet);
            return true;
        }
        if (ex.path.startsWith("/crl/")) {
            crl(ex);
            return true;
        }
        if (ex.path.equals("/favicon.ico")) {
            throw Problem.notFound("favicon");
        }
        return false;
    }

    /** CRLs at the distribution point the store writes into certificates ({@code <base>/<caId>.crl}). */
    private void crl(Exchange ex) {
        String name = ex.path.substring("/crl/".length());
        if (!ex.isGet() || !name.matches("[0-9]{1,18}\\.crl")) {
            throw Problem.notFound("CRL '" + name + "'");
        }
        long id = Long.parseLong(name.substring(0, name.length() - 4));
        if (services.store().ca(id).isEmpty()) {
            throw Problem.notFound("CRL of CA " + id);
        }
        ex.send(200, "application/pkix-crl", services.store().crl(id, false));
    }

    private static byte[] resource(String name) {
        try (InputStream in = PublicFiles.class.getResourceAsStream(name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
