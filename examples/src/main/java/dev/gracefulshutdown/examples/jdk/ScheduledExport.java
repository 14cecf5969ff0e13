package dev.gracefulshutdown.examples.jdk;

import static dev.gracefulshutdown.examples.jdk.Options.awaitTermination;
import static dev.gracefulshutdown.examples.jdk.Options.option;
import static dev.gracefulshutdown.examples.jdk.Options.sleep;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot export scheduled 2 s ahead on a {@link ScheduledThreadPoolExecutor}. A hook shuts the scheduler down
 * and awaits it (4 s). By {@code --delayed-after-shutdown=}:
 * <ul>
 *   <li>{@code false}: {@code setExecuteExistingDelayedTasksAfterShutdownPolicy(false)} (set to stop periodic
 *   housekeeping at shutdown): {@code shutdown()} cancels the pending export too, and the await returns at once.</li>
 *   <li>{@code true}: the default: the export still runs at its time, and the await lets it finish.</li>
 * </ul>
 * Prints {@code export scheduled} once it is scheduled and {@code export written} when it is done.
 */
public final class ScheduledExport {

    public static void main(String[] args) {
        boolean runDelayed = Boolean.parseBoolean(option(args, "--delayed-after-shutdown=", "true"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(runDelayed);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            scheduler.shutdown();
            awaitTermination(scheduler, 4);
        }, "export-shutdown"));
        scheduler.schedule(() -> {
            System.out.println("export started");
            sleep(1_000);
            System.out.println("export written");
        }, 2, TimeUnit.SECONDS);
        System.out.println("export scheduled");
    }   // the scheduler's worker is not a daemon: the service runs on
}
