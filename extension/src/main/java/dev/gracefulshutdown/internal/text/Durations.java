package dev.gracefulshutdown.internal.text;

import java.time.Duration;

/** Durations as the kit's messages write them: {@code 5 s}, {@code 200 ms}. */
public final class Durations {

    private Durations() {
    }

    public static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
