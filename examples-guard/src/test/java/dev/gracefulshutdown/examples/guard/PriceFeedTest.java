package dev.gracefulshutdown.examples.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PriceFeedTest {

    @Test
    void remembersAPrice() {
        PriceFeed feed = new PriceFeed();
        feed.put("pen", 150);
        assertEquals(150, feed.price("pen"));
    }

    @Test
    void pureArithmetic() {
        assertEquals(4, 2 + 2); // starts nothing: costs the guard next to nothing
    }
}
