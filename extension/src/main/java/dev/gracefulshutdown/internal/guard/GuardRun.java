package dev.gracefulshutdown.internal.guard;

import dev.gracefulshutdown.internal.libraries.NamedLibraries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One run of the suite guard in this JVM (one Jupiter engine execution): the configuration, the baseline, and what
 * every guarded test left. JUnit closes it when the engine's execution ends (it lives in the root context's store):
 * it writes this JVM's part ({@code guard-<pid>-<n>.tsv}), merges the parts present (Surefire's forks each write one),
 * and writes the report, and the baseline when asked to.
 */
public final class GuardRun implements AutoCloseable {

    public static final String ENABLED = "gracefulshutdown.guard.enabled";
    public static final String BASELINE = "gracefulshutdown.guard.baseline";
    public static final String BASELINE_WRITE = "gracefulshutdown.guard.baseline.write";
    public static final String REPORT_DIR = "gracefulshutdown.guard.reportDir";
    public static final String DEFAULT_REPORT_DIR = "target/graceful-shutdown";

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** A leak, and whether the baseline already lists it. */
    public record Finding(Leak leak, boolean baselined) {
    }

    final Path baseline;
    final boolean writeBaseline;
    final Path reportDir;
    final Set<String> baselineKeys;
    final Queue<Finding> findings = new ConcurrentLinkedQueue<>();
    /** Every guarded test, in the order they ended (a test id may repeat): appended once per test, cheaply. */
    final Queue<String> tests = new ConcurrentLinkedQueue<>();
    final AtomicLong guardNanos = new AtomicLong();
    private final int run = RUNS.incrementAndGet();

    GuardRun(Path baseline, boolean writeBaseline, Path reportDir) {
        this.baseline = baseline;
        this.writeBaseline = writeBaseline;
        this.reportDir = reportDir;
        this.baselineKeys = baseline == null || writeBaseline ? Set.of() : Baseline.read(baseline);
    }

    static GuardRun of(ExtensionContext context) {
        NamedLibraries.readFrom(context);
        Path baseline = context.getConfigurationParameter(BASELINE).filter(s -> !s.isBlank()).map(Paths::get).orElse(null);
        boolean write = context.getConfigurationParameter(BASELINE_WRITE, Boolean::parseBoolean).orElse(false);
        Path dir = Paths.get(context.getConfigurationParameter(REPORT_DIR).orElse(DEFAULT_REPORT_DIR));
        if (write && baseline == null) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(BASELINE_WRITE
                    + "=true needs " + BASELINE + " (the file to write)");
        }
        return new GuardRun(baseline, write, dir);
    }

    /** Records a guarded test's leaks; returns those that fail it (none while the baseline is being written). */
    List<Leak> record(String test, List<Leak> leaks, long nanos) {
        tests.add(test);
        guardNanos.addAndGet(nanos);
        List<Leak> failing = new ArrayList<>();
        for (Leak leak : leaks) {
            boolean baselined = baselineKeys.contains(leak.key());
            findings.add(new Finding(leak, baselined));
            if (!baselined && !writeBaseline) {
                failing.add(leak);
            }
        }
        return failing;
    }

    void addCost(long nanos) {
        guardNanos.addAndGet(nanos);
    }

    /** How many leaks of this test the baseline accepted (said in the failure message). */
    long baselinedOf(String test) {
        return findings.stream().filter(f -> f.baselined() && f.leak().test().equals(test)).count();
    }

    @Override
    public void close() {
        try {
            Files.createDirectories(reportDir);
            Path part = reportDir.resolve("guard-" + ProcessHandle.current().pid() + "-" + run + ".tsv");
            Parts.write(part, this);
            Parts.Merged merged = Parts.merge(reportDir, part, this);
            Set<String> before = baseline == null ? Set.of() : Baseline.read(baseline);
            if (writeBaseline) {
                Set<String> lines = new TreeSet<>();
                for (String key : before) { // entries of tests that did not run this time stay
                    if (!merged.tests().contains(Baseline.testOf(key))) {
                        lines.add(key);
                    }
                }
                merged.findings().forEach(f -> lines.add(f.leak().key()));
                Baseline.write(baseline, lines);
            }
            GuardReport report = GuardReport.of(merged, before, writeBaseline ? baseline : null, baseline);
            Files.writeString(reportDir.resolve("guard-report.json"), report.json(), StandardCharsets.UTF_8);
            Files.writeString(reportDir.resolve("guard-report.html"), report.html(), StandardCharsets.UTF_8);
            System.out.print(report.console(reportDir.resolve("guard-report.html")));
            System.out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("graceful-shutdown guard: could not write its report in " + reportDir, e);
        }
    }
}
