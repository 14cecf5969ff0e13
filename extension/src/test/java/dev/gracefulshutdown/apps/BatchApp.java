package dev.gracefulshutdown.apps;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A batch job (story 4): runs its job on a pool and returns from main. The pool's workers are non-daemon, so the
 * JVM exits only if the pool is shut down: with {@code --shutdown-when-done} it is.
 */
public final class BatchApp {

    private BatchApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("BatchApp started");
        ExecutorService workers = Executors.newFixedThreadPool(2);
        String rows = workers.submit(() -> {
            TimeUnit.MILLISECONDS.sleep(300); // the job's work
            return "42 rows";
        }).get();
        System.out.println("BatchApp wrote " + rows);
        if (Arrays.asList(args).contains("--shutdown-when-done")) {
            workers.shutdown();
        }
    }
}
