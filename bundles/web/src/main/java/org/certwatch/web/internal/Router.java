package org.certwatch.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A route table: method + path pattern → handler, in the order added, the first match answering.
 * Patterns are segments of the path below the area's prefix: a literal, {@code *} for any one segment,
 * and a final {@code **} for any number of further ones. {@link #before} rules run first, every one that
 * matches (checks that answer every path of a resource alike, such as "administrators only").
 */
final class Router {
    /** Every method; {@code GET} also takes {@code HEAD}. */
    static final String ANY = "*";

    /** Handles a request; the path's segments below the area's prefix are given as they were sent. */
    @FunctionalInterface
    interface Route {
        void handle(Exchange ex, String[] path);
    }

    private record Rule(String method, String[] pattern, Route route) {
        boolean matches(Exchange ex, String[] path) {
            return methodMatches(ex) && patternMatches(path);
        }

        private boolean methodMatches(Exchange ex) {
            return method.equals(ANY) || (method.equals("GET") ? ex.isGet() : method.equals(ex.method));
        }

        private boolean patternMatches(String[] path) {
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i].equals("**") && i == pattern.length - 1) {
                    return true;
                }
                if (i >= path.length || !pattern[i].equals("*") && !pattern[i].equals(path[i])) {
                    return false;
                }
            }
            return path.length == pattern.length;
        }

        String resource() {
            return pattern[0];
        }
    }

    private final List<Rule> checks = new ArrayList<>();
    private final List<Rule> routes = new ArrayList<>();
    private final Miss miss;

    /** The answer to a request no route takes: a 404 or 405 naming it. */
    @FunctionalInterface
    interface Miss {
        /** @param knownResource whether some route serves the path's first segment */
        Problem answer(Exchange ex, String[] path, boolean knownResource);
    }

    Router(Miss miss) {
        this.miss = miss;
    }

    Router on(String method, String pattern, Route route) {
        routes.add(new Rule(method, pattern.split("/", -1), route));
        return this;
    }

    /** A check for every request matching, before its route is chosen; it answers by throwing a {@link Problem}. */
    Router before(String method, String pattern, Route check) {
        checks.add(new Rule(method, pattern.split("/", -1), check));
        return this;
    }

    /** A path of this resource no route takes is refused by this answer instead of the table's own. */
    Router otherwise(String pattern, BiFunction<Exchange, String[], Problem> answer) {
        return on(ANY, pattern, (ex, p) -> {
            throw answer.apply(ex, p);
        });
    }

    void dispatch(Exchange ex, String relativePath) {
        String[] path = relativePath.split("/", -1);
        for (Rule check : checks) {
            if (check.matches(ex, path)) {
                check.route().handle(ex, path);
            }
        }
        for (Rule rule : routes) {
            if (rule.matches(ex, path)) {
                rule.route().handle(ex, path);
                return;
            }
        }
        throw miss.answer(ex, path, routes.stream().anyMatch(r -> r.resource().equals(path[0])));
    }
}
