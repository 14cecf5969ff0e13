package dev.gracefulshutdown.examples.guard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Prices orders on its own pool, and stops it when closed: nothing is left behind. */
public final class OrderService implements AutoCloseable {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final PriceFeed feed;

    public OrderService(PriceFeed feed) {
        this.feed = feed;
    }

    public CompletableFuture<Long> total(String sku, int quantity) {
        return CompletableFuture.supplyAsync(() -> feed.price(sku) * quantity, pool);
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
