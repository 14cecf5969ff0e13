package dev.gracefulshutdown.apps;

import java.util.concurrent.Callable;

/** Code of the user's own (outside the kit's packages), for unit tests that need to tell it from a library's. */
public final class UsersCode {

    private UsersCode() {
    }

    public static Callable<String> export() {
        return () -> "the user's export";
    }

    /** A handler of the user's. */
    public static Runnable handler() {
        return () -> { };
    }

    /** A cache's removal listener of the user's. */
    public static <K, V> com.github.benmanes.caffeine.cache.RemovalListener<K, V> removalListener(java.util.List<K> removed) {
        return (key, value, cause) -> removed.add(key);
    }
}
