package dev.gracefulshutdown.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownSimulator;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * What {@code @GracefulShutdownTest} costs per test, measured against plain JUnit tests in the same JVM and
 * the same run (alternating rounds, medians), and how fast the idle-pool verdict of {@code MAIN_RETURN}
 * arrives. Numbers are ratios: these machines are small and noisy.
 */
public final class OverheadBenchmark {

    static final int TESTS_PER_ROUND = 200;
    static final int WARMUP_ROUNDS = 5;
    static final int ROUNDS = 15;
    static final int FORKED_TESTS_PER_ROUND = 5;
    static final int FORKED_ROUNDS = 3;
    static final List<Long> VERDICT_NANOS = Collections.synchronizedList(new ArrayList<>());

    private OverheadBenchmark() {
    }

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        List<Long> plain = new ArrayList<>();
        List<Long> kit = new ArrayList<>();
        List<Long> leaky = new ArrayList<>();
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            long p = run(launcher, PlainTests.class);
            long k = run(launcher, EmptyShutdownTests.class);
            long l = run(launcher, LeakyPoolTests.class);
            if (round >= WARMUP_ROUNDS) {
                plain.add(p);
                kit.add(k);
                leaky.add(l);
            }
        }
        double plainPerTest = median(plain) / 1000.0 / TESTS_PER_ROUND;
        double kitPerTest = median(kit) / 1000.0 / TESTS_PER_ROUND;
        double leakyPerTest = median(leaky) / 1000.0 / TESTS_PER_ROUND;
        List<Long> forked = new ArrayList<>();
        run(launcher, ForkedEmptyTests.class); // warm-up
        for (int round = 0; round < FORKED_ROUNDS; round++) {
            forked.add(run(launcher, ForkedEmptyTests.class));
        }
        double forkedPerTest = median(forked) / 1000.0 / FORKED_TESTS_PER_ROUND;
        List<Long> verdicts = new ArrayList<>(VERDICT_NANOS);
        Collections.sort(verdicts);
        System.out.printf("JDK %s, %d cores, %d rounds of %d tests after %d warm-up rounds (medians)%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), ROUNDS, TESTS_PER_ROUND, WARMUP_ROUNDS);
        System.out.printf("plain @Test (empty)                      : %8.1f us/test  (baseline)%n", plainPerTest);
        System.out.printf("@GracefulShutdownTest (empty, SIGTERM)   : %8.1f us/test  ratio %.2f%n", kitPerTest, kitPerTest / plainPerTest);
        System.out.printf("@GracefulShutdownTest (leaky pool, MAIN_RETURN, expect LINGERING_THREAD)%n"
                + "                                         : %8.1f us/test  ratio %.2f%n", leakyPerTest, leakyPerTest / plainPerTest);
        System.out.printf("@GracefulShutdownTest(fork = true) (empty): %8.1f ms/test  ratio %.0f to in-process, %.0f to plain%n",
                forkedPerTest / 1000.0, forkedPerTest / kitPerTest, forkedPerTest / plainPerTest);
        System.out.printf("idle-pool LINGERING_THREAD verdict       : median %.1f ms, p95 %.1f ms, max %.1f ms over %d verdicts%n",
                percentile(verdicts, 0.5) / 1e6, percentile(verdicts, 0.95) / 1e6, verdicts.get(verdicts.size() - 1) / 1e6,
                verdicts.size());
    }

    private static long run(Launcher launcher, Class<?> tests) {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests)).build(), summary);
        long took = System.nanoTime() - start;
        if (summary.getSummary().getTotalFailureCount() > 0) {
            throw new IllegalStateException(tests.getSimpleName() + " failed: " + summary.getSummary().getFailures().get(0).getException());
        }
        return took;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return percentile(sorted, 0.5);
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * (sorted.size() - 1) + 0.5)));
    }

    public static class PlainTests {
        @RepeatedTest(TESTS_PER_ROUND)
        void empty() {
        }
    }

    @GracefulShutdownTest
    public static class EmptyShutdownTests {
        @RepeatedTest(TESTS_PER_ROUND)
        void empty() {
        }
    }

    /** A real child JVM per test: start-up, agent, the test, a real SIGTERM. */
    @GracefulShutdownTest(fork = true)
    public static class ForkedEmptyTests {
        @RepeatedTest(FORKED_TESTS_PER_ROUND)
        void empty() {
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN, expect = Violation.Kind.LINGERING_THREAD)
    public static class LeakyPoolTests {
        @RepeatedTest(TESTS_PER_ROUND)
        void leaky(ShutdownSimulator jvm) {
            Executors.newFixedThreadPool(1).execute(() -> { });
            long start = System.nanoTime();
            ShutdownReport report = jvm.mainReturn();
            VERDICT_NANOS.add(System.nanoTime() - start);
            if (report.violations().size() != 1) {
                throw new AssertionError(report);
            }
        }
    }
}
