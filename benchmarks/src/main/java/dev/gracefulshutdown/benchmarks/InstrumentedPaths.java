package dev.gracefulshutdown.benchmarks;

import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.Scope;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JDK paths the agent instruments, each as a batch of tiny tasks the benchmark thread hands over and waits
 * for. {@link AgentCostBenchmark} runs them three times in one run: without the agent, with the agent and no scope
 * open, and inside a scope ({@code -Dgracefulshutdown.benchmark.scope=true}: the benchmark thread is a test's main
 * thread, so every task is captured with its submission site). Times are per task (or per thread).
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InstrumentedPaths {

    static final String SCOPE_PROPERTY = "gracefulshutdown.benchmark.scope";
    static final int BATCH = 1_000;
    static final int THREADS = 20;

    private final boolean inScope = Boolean.getBoolean(SCOPE_PROPERTY);
    private ExecutorService pool;
    private ScheduledExecutorService scheduler;
    private ForkJoinPool forkJoin;
    private Scope scope;
    private MethodHandle startVirtual;

    @Setup(Level.Trial)
    public void pools() throws ReflectiveOperationException {
        pool = Executors.newFixedThreadPool(2);
        scheduler = Executors.newScheduledThreadPool(2);
        forkJoin = new ForkJoinPool(2);
        if (Boolean.getBoolean("gracefulshutdown.benchmark.debug")) {
            try {
                System.err.println("GATE " + Class.forName("java.lang.GracefulShutdownJUnitBridge").getField("capturing").get(null));
            } catch (ClassNotFoundException e) {
                System.err.println("GATE none");
            }
        }
        if (Runtime.version().feature() >= 21) {
            startVirtual = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        }
    }

    /** A fresh scope per batch: a real test captures a few tasks, not millions. */
    @Setup(Level.Invocation)
    public void openScope() {
        if (inScope) {
            scope = Capture.open("benchmark", Thread.currentThread());
        }
    }

    @TearDown(Level.Invocation)
    public void closeScope() {
        if (scope != null) {
            Capture.close(scope);
            scope = null;
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.shutdownNow();
        scheduler.shutdownNow();
        forkJoin.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void threadPoolExecute() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            pool.execute(() -> done.countDown());
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void threadPoolSubmit() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            pool.submit(() -> done.countDown());
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void scheduledSchedule() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            scheduler.schedule(() -> done.countDown(), 0, TimeUnit.NANOSECONDS);
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void forkJoinSubmit() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            forkJoin.submit(() -> done.countDown());
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void completableFutureRunAsync() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture.runAsync(() -> done.countDown(), forkJoin);
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public void threadStart() throws InterruptedException {
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            threads[i] = new Thread(() -> { });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** JDK 21+ only ({@link AgentCostBenchmark} leaves it out before). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void virtualThreadStart() throws Throwable {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Runnable task = () -> done.countDown();
            Thread started = (Thread) startVirtual.invokeExact(task);
        }
        done.await();
    }
}
