package org.certwatch.bench;

import java.util.List;

/**
 * One benchmark of {@code ./certwatch bench}: a name on the command line and the code that measures
 * its figures. Registered in {@link BenchMain#BENCHES}; it starts what it measures (and its anchors)
 * and stops them before it returns, also when it fails.
 */
record Bench(String name, Measurement measurement) {

    @FunctionalInterface
    interface Measurement {
        List<Figure> run() throws Exception;
    }
}
