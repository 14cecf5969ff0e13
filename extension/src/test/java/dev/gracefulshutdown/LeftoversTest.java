package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.net.httpserver.HttpServer;
import dev.gracefulshutdown.internal.report.ReportEntries;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.rmi.registry.LocateRegistry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The report entry of what the cleanup could not stop names only what this test's application left, and says what
 * is true of it: the JDK's own machinery (keep-alive cache, HttpClient, Cleaner, RMI) is not the application's, a
 * daemon thread was not waited for, and a pool the test did not create (a static field's) is not "shared".
 */
class LeftoversTest {

    private static final String KEY = ReportEntries.LEFTOVERS;

    @Test
    void theJdksOwnThreadsAreNotLeftovers() {
        Map<String, String> leftovers = leftovers(JdkMachineryTestCases.class);

        assertThat(leftovers.get("httpClient")).as("HttpClient-1-Worker-0, HttpClient-1-SelectorManager").isNull();
        assertThat(leftovers.get("keepAlive")).as("Keep-Alive-Timer").isNull();
        assertThat(leftovers.get("cleaner")).as("Cleaner-0").isNull();
        assertThat(leftovers.get("rmiRegistry")).as("RMI TCP Accept-0").isNull();
    }

    @Test
    void eachLeftoverSaysWhatIsTrueOfIt() {
        ApplicationTestCases.released = false; // the fixture's threads run until its @AfterAll releases them
        Map<String, String> leftovers = leftovers(ApplicationTestCases.class);

        assertThat(leftovers.get("nonDaemonIgnoringInterrupts"))
                .contains("\"stubborn-worker\" (non-daemon: did not stop within 500 ms of being interrupted)");
        assertThat(leftovers.get("daemonIgnoringInterrupts"))
                .contains("\"stubborn-daemon\" (daemon: interrupted, not waited for; it cannot keep the JVM alive)")
                .doesNotContain("did not stop");
        assertThat(leftovers.get("taskOnAStaticFieldsPool"))
                .contains("(a thread of ThreadPoolExecutor created before this test began, still running task#1 of this test; "
                        + "not interrupted)")
                .doesNotContain("shared pool");
    }

    @Test
    void aTimerTheTestStartedIsCancelledSinceItsThreadIgnoresInterrupts() {
        Map<String, String> leftovers = leftovers(TimerTestCases.class);

        assertThat(leftovers.get("timerNeverCancelled")).as("the timer's thread stopped: nothing left").isNull();
        assertThat(TimerTestCases.timer).isNotNull();
        assertThatThrownBy(() -> TimerTestCases.timer.schedule(new java.util.TimerTask() {
            @Override
            public void run() {
            }
        }, 1)).isInstanceOf(IllegalStateException.class).hasMessage("Timer already cancelled.");
    }

    @Test
    void aPoolWhoseLockAStuckWorkerHoldsDoesNotHangTheCleanup() {
        StuckPoolTestCases.released = false;
        try {
            // shutdownNow() waits for the pool's lock, held by a worker stuck in terminated(): for ever, unless bounded
            Map<String, String> leftovers = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(30), () -> leftovers(StuckPoolTestCases.class));

            assertThat(leftovers.get("workerStuckInTerminated"))
                    .contains("\"stuck-in-terminated\" (non-daemon: did not stop within 500 ms of being interrupted)");
        } finally {
            StuckPoolTestCases.released = true;
        }
    }

    @GracefulShutdownTest
    static class StuckPoolTestCases {
        static volatile boolean released;

        @Test
        void workerStuckInTerminated() throws InterruptedException {
            CountDownLatch stuck = new CountDownLatch(1);
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> new Thread(task, "stuck-in-terminated")) {
                @Override
                protected void terminated() {
                    stuck.countDown();
                    while (!released) {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            };
            // shut down from its own task: the worker, the last one, runs terminated() on its way out, holding the lock
            pool.execute(pool::shutdown);
            stuck.await();
        }
    }

    @GracefulShutdownTest
    static class TimerTestCases {
        static java.util.Timer timer;

        @Test
        void timerNeverCancelled() {
            timer = new java.util.Timer("heartbeat"); // not a daemon, never cancelled
            timer.schedule(new java.util.TimerTask() {
                @Override
                public void run() {
                }
            }, 10, 10);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "no-op"));
        }
    }

    private static Map<String, String> leftovers(Class<?> fixture) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().allEvents();
        return events.reportingEntryPublished().stream()
                .filter(e -> e.getPayload(ReportEntry.class).map(r -> r.getKeyValuePairs().containsKey(KEY)).orElse(false))
                .collect(Collectors.toMap(LeftoversTest::method,
                        e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get(KEY)));
    }

    private static String method(Event event) {
        return event.getTestDescriptor().getSource().filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getMethodName()).orElse("?");
    }

    static HttpServer server() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @GracefulShutdownTest
    static class JdkMachineryTestCases {
        @Test
        void httpClient() throws Exception {
            HttpServer server = server();
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("ok");
            } finally {
                server.stop(0);
            }
        }

        @Test
        void keepAlive() throws Exception {
            HttpServer server = server();
            try {
                try (InputStream in = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/").openConnection()
                        .getInputStream()) {
                    assertThat(in.readAllBytes()).hasSize(2); // read to the end: the connection goes to the keep-alive cache
                }
            } finally {
                server.stop(0);
            }
        }

        @Test
        void cleaner() {
            java.lang.ref.Cleaner.create().register(new Object(), () -> { });
        }

        @Test
        void rmiRegistry() throws Exception {
            LocateRegistry.createRegistry(0);
        }
    }

    @GracefulShutdownTest
    static class ApplicationTestCases {
        private static volatile boolean released;
        /** Created when the class loads, before any test's lifetime: a pool the test did not create. */
        private static final ExecutorService CLASS_POOL = Executors.newSingleThreadExecutor();

        static void release() {
            released = true;
        }

        @AfterAll
        static void releaseAll() {
            release();
        }

        static void ignoreInterruptsUntilReleased(CountDownLatch started) {
            started.countDown();
            while (!released) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Test
        @GracefulShutdownTest(expect = Violation.Kind.ABANDONED_TASK)
        void nonDaemonIgnoringInterrupts() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            new Thread(() -> ignoreInterruptsUntilReleased(started), "stubborn-worker").start();
            started.await();
        }

        @Test
        void daemonIgnoringInterrupts() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            Thread thread = new Thread(() -> ignoreInterruptsUntilReleased(started), "stubborn-daemon");
            thread.setDaemon(true);
            thread.start();
            started.await();
        }

        @Test
        @GracefulShutdownTest(expect = Violation.Kind.ABANDONED_TASK)
        void taskOnAStaticFieldsPool() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            CLASS_POOL.execute(() -> ignoreInterruptsUntilReleased(started));
            started.await();
        }
    }
}
