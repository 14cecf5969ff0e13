package dev.gracefulshutdown.examples.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Refreshes prices every minute. Its scheduler is never shut down: the leak this suite has today (baselined). */
public final class PriceFeed {

    private final Map<String, Long> prices = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor();

    public PriceFeed() {
        refresher.scheduleAtFixedRate(this::refresh, 1, 1, TimeUnit.MINUTES);
    }

    public void put(String sku, long cents) {
        prices.put(sku, cents);
    }

    public long price(String sku) {
        return prices.getOrDefault(sku, 0L);
    }

    private void refresh() {
        prices.replaceAll((sku, cents) -> cents);
    }
}
