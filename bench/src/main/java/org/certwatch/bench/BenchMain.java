package org.certwatch.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./certwatch bench [NAME…]}: runs the named benchmarks (all when none) and writes the report. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0 ? List.of("runtime") : List.of(args);
        List<Figure> figures = new ArrayList<>();
        for (String name : names) {
            switch (name) {
                case "runtime" -> figures.addAll(RuntimeBench.run());
                case "fleet" -> figures.addAll(FleetBench.run());
                case "rollover" -> figures.addAll(RolloverBench.run());
                case "monitor" -> figures.addAll(MonitorBench.run());
                case "snmp" -> figures.addAll(SnmpBench.run());
                case "web" -> figures.addAll(WebBench.run());
                default -> {
                    System.err.println("unknown benchmark '" + name + "' (known: runtime, fleet, rollover, monitor, snmp, web)");
                    System.exit(2);
                }
            }
        }
        Path root = Path.of(System.getProperty("certwatch.root", "."));
        Report.write(root.resolve("target/bench"), figures);
        System.out.println("report: " + root.resolve("target/bench/report.md"));
    }
}
