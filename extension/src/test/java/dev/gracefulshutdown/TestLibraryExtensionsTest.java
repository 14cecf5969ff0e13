package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.acmevendor.mockserver.MockServerExtension;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;

/**
 * A test library's JUnit extension that starts a server before each test and stops it after (WireMock's,
 * MockWebServer's) is the test's scaffolding, as JUnit's own threads are: its non-daemon threads, still running when
 * the test method returns, do not keep the simulated JVM alive. A forked JVM agreed already (other extensions'
 * after-callbacks run there before main returns); in process the server was a {@code LINGERING_THREAD} of every test.
 * An extension of the user's own is the user's code, unless its package is named a library.
 */
class TestLibraryExtensionsTest {

    private static final String[] LIBRARIES = {GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor"};

    @Test
    void aTestLibrarysServerAroundEachTestIsNotTheApplication() {
        Events events = Fixtures.tests(MockServerCases.class, LIBRARIES);

        Fixtures.assertPassed(events, "aTestThatLeavesNothing");
        assertThat(Fixtures.failureMessage(events, "aTestThatLeavesAPool")).contains("1 violation")
                .contains("LINGERING_THREAD").contains("created at dev.gracefulshutdown.TestLibraryExtensionsTest.leak(")
                .doesNotContain("MockServerExtension");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(MockServerCases.class, LIBRARIES[0], LIBRARIES[1],
                GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        Fixtures.assertPassed(events, "aTestThatLeavesNothing");
        assertThat(Fixtures.failureMessage(events, "aTestThatLeavesAPool")).contains("1 violation").contains("LINGERING_THREAD");
    }

    @Test
    void anExtensionOfTheUsersOwnIsTheUsersCode() {
        Events events = Fixtures.tests(OwnExtensionCases.class);

        assertThat(Fixtures.failureMessage(events, "aTestThatLeavesNothing")).contains("1 violation")
                .contains("LINGERING_THREAD").contains("created at dev.gracefulshutdown.TestLibraryExtensionsTest$OwnServerExtension.beforeEach(");
    }

    static ExecutorService leak() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.execute(() -> { });
        return pool;
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class MockServerCases {

        @RegisterExtension
        final MockServerExtension server = new MockServerExtension();

        @Test
        void aTestThatLeavesNothing() {
        }

        @Test
        void aTestThatLeavesAPool() {
            leak();
        }
    }

    /** The same server, in an extension of the user's own (its package not named a library). */
    static final class OwnServerExtension implements BeforeEachCallback, AfterEachCallback {
        private ExecutorService server;

        @Override
        public void beforeEach(ExtensionContext context) {
            server = Executors.newFixedThreadPool(2);
            server.execute(() -> { });
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
            server.shutdown();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @GracefulShutdownTest(trigger = ShutdownTrigger.MAIN_RETURN)
    static class OwnExtensionCases {

        @RegisterExtension
        final OwnServerExtension server = new OwnServerExtension();

        @Test
        void aTestThatLeavesNothing() {
        }
    }
}
