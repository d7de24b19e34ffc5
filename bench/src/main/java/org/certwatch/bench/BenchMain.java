package org.certwatch.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./certwatch bench [NAME…]}: runs the named benchmarks (all when none, in the order of
 * {@link #BENCHES}) and writes {@code target/bench/report.md} and {@code report.json}, rewritten
 * after every benchmark so a long run that fails late still leaves the figures it measured.
 */
public final class BenchMain {
    /** Every benchmark, in run order. Adding one: a class with a {@code run()} and one line here. */
    static final List<Bench> BENCHES = List.of(
            new Bench("runtime", RuntimeBench::run),
            new Bench("store", StoreBench::run),
            new Bench("fleet", FleetBench::run),
            new Bench("rollover", RolloverBench::run),
            new Bench("fleet-idle", FleetIdleBench::run),
            new Bench("monitor", MonitorBench::run),
            new Bench("snmp", SnmpBench::run),
            new Bench("web", WebBench::run),
            new Bench("metrics", MetricsBench::run),
            new Bench("files", FilesBench::run),
            new Bench("probe", ProbeBench::run),
            new Bench("shared", SharedBench::run));

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Bench> known = new LinkedHashMap<>();
        BENCHES.forEach(b -> known.put(b.name(), b));
        List<Bench> selected = new ArrayList<>();
        for (String name : args.length == 0 ? known.keySet().toArray(String[]::new) : args) {
            Bench bench = known.get(name);
            if (bench == null) {
                System.err.println("unknown benchmark '" + name + "' (known: " + String.join(", ", known.keySet()) + ")");
                System.exit(2);
            }
            selected.add(bench);
        }
        // Ctrl-C or a kill of the run: servers and anchors (snmpd) started as children go with it
        Runtime.getRuntime().addShutdownHook(new Thread(BenchMain::stopChildren, "bench-children"));

        Path folder = Path.of(System.getProperty("certwatch.root", ".")).resolve("target/bench");
        Report report = new Report(folder);
        long start = System.nanoTime();
        for (int i = 0; i < selected.size(); i++) {
            Bench bench = selected.get(i);
            System.out.printf("%n=== [%d/%d] %s (%s elapsed) ===%n", i + 1, selected.size(), bench.name(), elapsed(start));
            double loadBefore = Report.loadAverage();
            long t0 = System.nanoTime();
            try {
                report.add(bench.name(), bench.measurement().run(), null, loadBefore, seconds(t0));
            } catch (Exception | AssertionError e) {
                // one failing benchmark does not hide the figures of the others
                e.printStackTrace();
                report.add(bench.name(), List.of(), e.toString(), loadBefore, seconds(t0));
            }
            stopChildren(); // a benchmark that failed half-way may have left a server or snmpd behind
            report.write();
            System.out.printf("=== %s done in %.0f s ===%n", bench.name(), seconds(t0));
        }
        System.out.println(report.markdown());
        System.out.println("report: " + folder.resolve("report.md") + " (total " + elapsed(start) + ")");
        System.exit(report.failed() ? 1 : 0);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String elapsed(long since) {
        long s = (long) seconds(since);
        return String.format("%d:%02d", s / 60, s % 60);
    }

    private static void stopChildren() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }
}
