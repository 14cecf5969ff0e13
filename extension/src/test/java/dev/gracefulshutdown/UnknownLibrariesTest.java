package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.acmevendor.stubserver.StubServer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

/**
 * A library's frames are the user's code unless the kit knows the library: a test server the code under test talks
 * to (MockWebServer, a vendor's stub) has its accept loop running on its pool at the halt, which is not the user's
 * lost work. The kit knows the common ones; {@value GracefulShutdownTest#LIBRARIES_PROPERTY} names the others.
 */
class UnknownLibrariesTest {

    @Test
    void aTestServersAcceptLoopIsNotTheUsersWorkButTheUsersCallInFlightIs() {
        Events events = Fixtures.tests(MockWebServerTestCases.class);

        Fixtures.assertPassed(events, "mockWebServerRunningAtSigterm");
        assertThat(Fixtures.failureMessage(events, "okHttpCallInFlightAtSigterm"))
                .contains("1 violation").contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.UnknownLibrariesTest$MockWebServerTestCases.okHttpCallInFlightAtSigterm")
                .doesNotContain("mockwebserver3.MockWebServer.start");
    }

    @Test
    void aLibraryTheKitDoesNotKnowIsTheUsersCodeUntilTheConfigurationNamesIt() {
        Events unnamed = Fixtures.tests(StubServerTestCases.class);
        assertThat(Fixtures.failureMessage(unnamed, "stubServerRunningAtSigterm"))
                .contains("1 violation").contains("ABANDONED_TASK").contains("submitted at com.acmevendor.stubserver.StubServer.start");

        Events named = Fixtures.tests(StubServerTestCases.class, GracefulShutdownTest.LIBRARIES_PROPERTY, " com.acmevendor , io.other.sdk");
        Fixtures.assertPassed(named, "stubServerRunningAtSigterm", "stubServerClosed", "stubServerClosedByTheApplicationsHook");
        assertThat(Fixtures.failureMessage(named, "theUsersCallbackOnTheNamedLibrarysPool"))
                .as("the user's callback run by a named library is still the user's work")
                .contains("1 violation").contains("ABANDONED_TASK")
                .contains("submitted at dev.gracefulshutdown.UnknownLibrariesTest$StubServerTestCases.theUsersCallbackOnTheNamedLibrarysPool");
    }

    @Test
    void aForkedJvmCapturesWithTheLibrariesTheConfigurationNames() {
        Events forked = Fixtures.tests(StubServerTestCases.class, GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor",
                GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        Fixtures.assertPassed(forked, "stubServerRunningAtSigterm");
        assertThat(Fixtures.failureMessage(forked, "theUsersCallbackOnTheNamedLibrarysPool"))
                .contains("1 violation").contains("ABANDONED_TASK").contains("forked JVM");
    }

    @Test
    void aValueThatIsNotAPackageIsAConfigurationErrorNamingTheParameterAndTheValue() {
        Events events = Fixtures.tests(StubServerTestCases.class, GracefulShutdownTest.LIBRARIES_PROPERTY, "com.acmevendor,com.acme vendor");

        assertThat(Fixtures.failure(events, "stubServerClosed"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("configuration parameter gracefulshutdown.libraries: 'com.acme vendor' is not a package name");
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class StubServerTestCases {
        @Test
        void stubServerRunningAtSigterm() throws IOException, InterruptedException {
            StubServer.start();
        }

        @Test
        void stubServerClosed() throws IOException, InterruptedException {
            StubServer.start().close();
        }

        @Test
        void stubServerClosedByTheApplicationsHook() throws IOException, InterruptedException {
            StubServer server = StubServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close(); // its accept loop catches the closed socket's exception during the shutdown
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }

        @Test
        void theUsersCallbackOnTheNamedLibrarysPool() throws IOException, InterruptedException {
            StubServer server = StubServer.start();
            CountDownLatch running = new CountDownLatch(1);
            server.runForTheUser(() -> WorkOnAnyThreadTest.export(running, new CountDownLatch(1)));
            running.await();
        }
    }

    @GracefulShutdownTest(gracePeriod = "5s")
    static class MockWebServerTestCases {
        @Test
        void mockWebServerRunningAtSigterm() throws IOException {
            new MockWebServer().start();
        }

        @Test
        void okHttpCallInFlightAtSigterm() throws IOException, InterruptedException {
            MockWebServer server = new MockWebServer();
            server.enqueue(new MockResponse.Builder().body("late").bodyDelay(30, TimeUnit.SECONDS).build());
            server.start();
            new OkHttpClient().newCall(new Request.Builder().url(server.url("/")).build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                }

                @Override
                public void onResponse(Call call, Response response) throws IOException {
                    response.body().string(); // the user's work, until the halt
                }
            });
            assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
        }
    }
}
