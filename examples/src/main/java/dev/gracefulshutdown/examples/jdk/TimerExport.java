package dev.gracefulshutdown.examples.jdk;

import static dev.gracefulshutdown.examples.jdk.Options.option;
import static dev.gracefulshutdown.examples.jdk.Options.sleep;

import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot export scheduled 2 s ahead on a {@link Timer} (a daemon one: the timer must not keep the service alive).
 * The service's main thread then waits for the export. A hook stops the timer at {@code SIGTERM}. By
 * {@code --shutdown=}:
 * <ul>
 *   <li>{@code cancel}: the usual {@code timer.cancel()}: it throws away the export still scheduled, and the JVM
 *   halts without it.</li>
 *   <li>{@code run-pending}: the hook takes the export back from the timer ({@code task.cancel()} says whether it had
 *   not run yet) and runs it itself before returning, within the grace period.</li>
 * </ul>
 * Prints {@code export scheduled} once it is scheduled and {@code export written} when it is done.
 */
public final class TimerExport {

    public static void main(String[] args) throws InterruptedException {
        boolean runPending = option(args, "--shutdown=", "cancel").equals("run-pending");
        Timer timer = new Timer("exports", true);
        CountDownLatch written = new CountDownLatch(1);
        TimerTask export = new TimerTask() {
            @Override
            public void run() {
                System.out.println("export started");
                sleep(1_000);
                System.out.println("export written");
                written.countDown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            timer.cancel();
            if (runPending && export.cancel()) {
                export.run(); // it had not run yet: run it now, before the halt
            }
        }, "export-shutdown"));
        timer.schedule(export, TimeUnit.SECONDS.toMillis(2));
        System.out.println("export scheduled");
        written.await(); // the service lives until the export is written (or the JVM halts)
    }
}
