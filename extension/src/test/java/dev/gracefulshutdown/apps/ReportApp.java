package dev.gracefulshutdown.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small application with a main class: it starts its report workers, says "Started", takes a report and
 * returns from main while the report runs. With {@code --drain-on-shutdown} it registers a hook that waits
 * for the running report. With {@code --drain-too-slowly} its hook waits for a report that goes on for 30 s,
 * longer than any grace period the tests give it. With {@code --take-sigterm} as well, it installs its own
 * {@code SIGTERM} handler that does not exit, so the JVM never begins its shutdown.
 */
public final class ReportApp {

    private ReportApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        String mode = args.length > 0 ? args[0] : "";
        if (java.util.Arrays.asList(args).contains("--take-sigterm")) {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.out.println("ReportApp took " + signal));
        }
        if (mode.equals("--drain-on-shutdown") || mode.equals("--drain-too-slowly")) {
            boolean slowly = mode.equals("--drain-too-slowly");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                workers.shutdown();
                if (!slowly) {
                    stopping.countDown();
                }
                try {
                    workers.awaitTermination(slowly ? 60 : 3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "report-app-shutdown"));
        }
        workers.execute(() -> {
            running.countDown();
            try {
                stopping.await(30, TimeUnit.SECONDS); // the report runs until the application stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.await();
        System.out.println("ReportApp Started");
    }

    /** An application whose main fails at start. */
    public static final class Broken {
        private Broken() {
        }

        public static void main(String[] args) {
            throw new IllegalStateException("port 8080 already in use");
        }
    }
}
