package dev.gracefulshutdown.examples.jdk;

final class Options {

    private Options() {
    }

    static String option(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis); // stands for the real work
        } catch (InterruptedException e) {
            System.out.println("interrupted: " + e);
            Thread.currentThread().interrupt();
        }
    }

    static void awaitTermination(java.util.concurrent.ExecutorService executor, long seconds) {
        try {
            if (!executor.awaitTermination(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
                System.out.println("still running after " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
