package dev.gracefulshutdown.examples.netty;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A write-behind cache: a put is acknowledged at once and written to the store 2 s later by a timeout on Netty's
 * {@code HashedWheelTimer}, so that a burst of puts to one key costs one write. At {@code SIGTERM}, by
 * {@code --shutdown=}:
 * <ul>
 *   <li>{@code stop-timer}: a hook stops the timer, which looks tidy: {@code stop()} cancels every timeout still
 *   waiting and hands them back, the hook ignores them, and the acknowledged put is never written.</li>
 *   <li>{@code write-handed-back}: the hook stops the timer and writes what it hands back, at once.</li>
 * </ul>
 * Prints {@code put acknowledged} once the write waits for its time, and {@code written <key>} when it is stored.
 */
public final class WriteBehindCache {

    private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
    private final Map<String, String> dirty = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) throws InterruptedException {
        String shutdown = args.length > 0 && args[0].startsWith("--shutdown=") ? args[0].substring(11) : "write-handed-back";
        WriteBehindCache cache = new WriteBehindCache();
        switch (shutdown) {
            case "stop-timer" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cache.timer.stop();
                cache.stopped.countDown();
            }, "cache-shutdown"));
            case "write-handed-back" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Set<Timeout> handedBack = cache.timer.stop();
                for (Timeout write : handedBack) {
                    try {
                        write.task().run(write);
                    } catch (Exception e) {
                        System.out.println("write failed: " + e);
                    }
                }
                cache.stopped.countDown();
            }, "cache-shutdown"));
            default -> throw new IllegalArgumentException("--shutdown=stop-timer|write-handed-back, not " + shutdown);
        }
        cache.put("order-17", "shipped");
        System.out.println("put acknowledged");
        cache.stopped.await(); // serves until the hook has stopped it
    }

    void put(String key, String value) {
        if (dirty.put(key, value) == null) {
            timer.newTimeout(timeout -> write(key), 2, TimeUnit.SECONDS);
        }
    }

    private void write(String key) {
        String value = dirty.remove(key);
        System.out.println("written " + key + "=" + value);
    }
}
