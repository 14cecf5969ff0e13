package dev.gracefulshutdown.examples.reactor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Reactor 3.8 pipeline that writes an export (1.5 s, blocking) on a bounded-elastic scheduler of its own, as
 * Reactor advises for blocking work. Reactor's threads are daemons, so {@code main} blocks until the
 * hook has stopped the pipeline, as a server would. At
 * {@code SIGTERM}, by {@code --shutdown=}:
 * <ul>
 *   <li>{@code none}: no hook. The JVM halts at once.</li>
 *   <li>{@code dispose}: a hook calls {@code scheduler.dispose()}.</li>
 *   <li>{@code graceful}: a hook calls {@code scheduler.disposeGracefully().timeout(3 s).block()}: no new work, the
 *   running work finishes, bounded below the grace period. The timeout's timer task on
 *   {@code Schedulers.parallel()} is cancelled once the dispose is done.</li>
 * </ul>
 * Prints {@code export started} once the work runs and {@code export written} when it is done.
 */
public final class ExportPipeline {

    private final Scheduler exports = Schedulers.newBoundedElastic(4, 100, "export");
    private final long exportMillis;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ExportPipeline(long exportMillis) {
        this.exportMillis = exportMillis;
    }

    public static void main(String[] args) throws InterruptedException {
        String shutdown = option(args, "--shutdown=", "graceful");
        ExportPipeline pipeline = new ExportPipeline(Long.parseLong(option(args, "--export-millis=", "1500")));
        switch (shutdown) {
            case "none" -> { }
            case "dispose" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pipeline.exports.dispose();
                pipeline.stopped.countDown();
            }, "reactor-dispose"));
            case "graceful" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pipeline.disposeGracefully(Duration.ofSeconds(3));
                pipeline.stopped.countDown();
            }, "reactor-dispose"));
            default -> throw new IllegalArgumentException("--shutdown=none|dispose|graceful, not " + shutdown);
        }
        pipeline.export("q3").subscribe(
                written -> System.out.println(written),
                failure -> System.out.println("export failed: " + failure));
        pipeline.stopped.await(); // serves until the hook has stopped it (the idiom: server.onDispose().block())
    }

    Mono<String> export(String quarter) {
        return Mono.fromCallable(() -> write(quarter)).subscribeOn(exports);
    }

    void disposeGracefully(Duration timeout) {
        try {
            exports.disposeGracefully().timeout(timeout).block();
        } catch (RuntimeException e) {
            System.out.println("exports still running after " + timeout.toSeconds() + " s: " + e);
            exports.dispose();
        }
    }

    private String write(String quarter) {
        System.out.println("export started on " + Thread.currentThread().getName());
        try {
            Thread.sleep(exportMillis); // rows written to the export file
        } catch (InterruptedException e) {
            System.out.println("export interrupted: " + e);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("export " + quarter + " interrupted", e);
        }
        System.out.println("export written");
        return "export " + quarter + " done";
    }

    private static String option(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
