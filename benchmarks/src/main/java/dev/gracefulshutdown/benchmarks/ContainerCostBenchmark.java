package dev.gracefulshutdown.benchmarks;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.testcontainers.ContainerShutdown;
import dev.gracefulshutdown.testsupport.HostJdkContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * What a container check costs: start a container running a small JVM application, then a real
 * {@code docker stop}. With the kit's agent (copied in, loaded through {@code JAVA_TOOL_OPTIONS}, recording copied
 * out, verdict) against the same container without it ({@code ContainerShutdown.withoutAgent}: the bare start and
 * stop), alternating in one run, medians. Skipped without Docker.
 */
public final class ContainerCostBenchmark {

    static final int WARMUP_ROUNDS = 1;
    static final int ROUNDS = 7;

    private ContainerCostBenchmark() {
    }

    /** The application in the container: a pool with a task in flight, a hook that drains it. */
    public static final class App {
        private App() {
        }

        public static void main(String[] args) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            pool.execute(() -> {
                try {
                    TimeUnit.MINUTES.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            System.out.println("App ready");
        }
    }

    private record Sample(long startNanos, long stopNanos) {
        long total() {
            return startNanos + stopNanos;
        }
    }

    public static void main(String[] args) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) {
            System.out.println("container check cost: skipped, no Docker engine is available");
            return;
        }
        List<Sample> bare = new ArrayList<>();
        List<Sample> withAgent = new ArrayList<>();
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            Sample b = measure(ContainerShutdown::withoutAgent);
            Sample a = measure(ContainerShutdown::of);
            if (round >= WARMUP_ROUNDS) {
                bare.add(b);
                withAgent.add(a);
            }
        }
        double bareStart = median(bare, Sample::startNanos);
        double bareStop = median(bare, Sample::stopNanos);
        double bareTotal = median(bare, Sample::total);
        double agentStart = median(withAgent, Sample::startNanos);
        double agentStop = median(withAgent, Sample::stopNanos);
        double agentTotal = median(withAgent, Sample::total);
        System.out.printf("JDK %s, %d cores, %d rounds after %d warm-up round (medians)%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), ROUNDS, WARMUP_ROUNDS);
        System.out.printf("container without the agent (baseline): start %6.0f ms, docker stop %5.0f ms, total %6.0f ms%n",
                bareStart, bareStop, bareTotal);
        System.out.printf("container check with the agent         : start %6.0f ms, docker stop %5.0f ms, total %6.0f ms, ratio %.2f%n",
                agentStart, agentStop, agentTotal, agentTotal / bareTotal);
    }

    private static Sample measure(Function<GenericContainer<?>, ContainerShutdown> kit) {
        try (GenericContainer<?> container = HostJdkContainer.running(App.class, "App ready")) {
            ContainerShutdown shutdown = kit.apply(container);
            long started = System.nanoTime();
            container.start();
            long running = System.nanoTime();
            ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));
            long stopped = System.nanoTime();
            if (report.exitStatus().orElse(-1) != 143) {
                throw new IllegalStateException("unexpected exit status: " + report);
            }
            return new Sample(running - started, stopped - running);
        }
    }

    private static double median(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
        List<Long> sorted = new ArrayList<>();
        samples.forEach(s -> sorted.add(value.applyAsLong(s)));
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        double nanos = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
        return nanos / 1e6;
    }
}
