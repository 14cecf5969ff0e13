package dev.gracefulshutdown.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * What the suite guard adds to the wall time of a suite of {@value #TESTS} ordinary tests (one in ten starts a pool
 * and shuts it down properly, the others compute a little), measured in one JVM, the suite with and without the
 * guard in alternating rounds, medians. The agent is loaded in both (the JVM cannot unload it); without the guard
 * it is idle.
 */
public final class GuardCostBenchmark {

    static final int TESTS = 2000;
    static final int WARMUP_ROUNDS = 3;
    /** Rounds measured; {@code -Dgracefulshutdown.benchmark.rounds=} for more on a noisy machine. */
    static final int ROUNDS = Integer.getInteger("gracefulshutdown.benchmark.rounds", 7);
    /** One test in this many starts a pool; {@code -Dgracefulshutdown.benchmark.poolEvery=} (1: every test, 0: none). */
    static final int POOL_EVERY = Integer.getInteger("gracefulshutdown.benchmark.poolEvery", 10);

    private GuardCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Launcher launcher = LauncherFactory.create();
        Path reports = Files.createTempDirectory("guard-cost");
        List<Long> plain = new ArrayList<>();
        List<Long> registered = new ArrayList<>();
        List<Long> guarded = new ArrayList<>();
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            long p = run(launcher, Map.of());
            // the guard's extension registered (auto-detection), the guard off: what JUnit's calls into it cost
            long r = run(launcher, Map.of("junit.jupiter.extensions.autodetection.enabled", "true"));
            // each round is a suite of its own, as a build's is: its own report directory (the parts of earlier
            // rounds would otherwise be merged into every later round's report)
            Path reportDir = Files.createDirectories(reports.resolve("round-" + round));
            long g = run(launcher, Map.of("junit.jupiter.extensions.autodetection.enabled", "true",
                    "gracefulshutdown.guard.enabled", "true", "gracefulshutdown.guard.reportDir", reportDir.toString()));
            if (round >= WARMUP_ROUNDS) {
                plain.add(p);
                registered.add(r);
                guarded.add(g);
            }
        }
        double p = median(plain) / 1e6;
        double r = median(registered) / 1e6;
        double g = median(guarded) / 1e6;
        System.out.printf(java.util.Locale.ROOT, "%nSuite guard cost, %d ordinary tests (1 in 10 starts and stops a pool), "
                + "median of %d rounds on %d cores, %s:%n  without the guard %.0f ms, with the guard %.0f ms: %+.1f%% "
                + "(%.3f ms per test)%n", TESTS, ROUNDS, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), p, g, (g / p - 1) * 100, (g - p) / TESTS);
        System.out.printf(java.util.Locale.ROOT, "  the guard's extension registered but off: %.0f ms, %+.1f%% (%.3f ms per test)%n",
                r, (r / p - 1) * 100, (r - p) / TESTS);
    }

    private static long run(Launcher launcher, Map<String, String> configuration) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(OrdinaryTests.class))
                .configurationParameters(configuration).build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(request, summary);
        long elapsed = System.nanoTime() - start;
        if (summary.getSummary().getTotalFailureCount() > 0 || summary.getSummary().getTestsSucceededCount() != TESTS) {
            throw new IllegalStateException("the benchmark's suite must pass: " + summary.getSummary().getTestsSucceededCount()
                    + " of " + TESTS + " passed; " + summary.getSummary().getFailures());
        }
        return elapsed;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Ordinary tests: nothing of the kit on them. */
    public static class OrdinaryTests {
        @RepeatedTest(TESTS)
        void ordinary(RepetitionInfo repetition) throws Exception {
            if (POOL_EVERY > 0 && repetition.getCurrentRepetition() % POOL_EVERY == 0) {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    pool.submit(() -> { }).get();
                } finally {
                    pool.shutdown();
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                }
            } else {
                List<Integer> numbers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    numbers.add((i * 7919) % 1000);
                }
                Collections.sort(numbers);
                if (numbers.get(0) != 0) {
                    throw new AssertionError();
                }
            }
        }
    }
}
