package dev.gracefulshutdown.examples.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Ordinary tests, no annotation of the kit: the guard checks them because junit-platform.properties says so. */
class OrderServiceTest {

    @Test
    void totalsAnOrder() throws Exception {
        PriceFeed feed = new PriceFeed(); // its scheduler leaks: accepted by the baseline
        feed.put("book", 1200);
        try (OrderService orders = new OrderService(feed)) { // its pool is shut down: nothing to report
            assertEquals(3600, orders.total("book", 3).get());
        }
    }

    @Test
    void anUnknownSkuCostsNothing() throws Exception {
        try (OrderService orders = new OrderService(new PriceFeed())) {
            assertEquals(0, orders.total("nothing", 3).get());
        }
    }
}
