package com.acmevendor.mockserver;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for a test library's JUnit extension (WireMock's, MockWebServer's): a server started before each test
 * and stopped after it, on non-daemon threads, as such servers are.
 */
public final class MockServerExtension implements BeforeEachCallback, AfterEachCallback {

    private ExecutorService server;

    @Override
    public void beforeEach(ExtensionContext context) {
        server = Executors.newFixedThreadPool(2);
        server.execute(() -> { }); // its acceptor starts
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        server.shutdown();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
