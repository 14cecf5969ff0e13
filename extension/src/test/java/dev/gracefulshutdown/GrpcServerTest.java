package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * A gRPC server, with its own shaded Netty and its shared executor (created by the first server of the JVM, so by an
 * earlier test for every later one): a call the application is handling when SIGTERM comes is lost unless a hook
 * stops the server gracefully and awaits it; {@code shutdownNow()} cancels the call but does not stop its handler,
 * which the halt then cuts off. An idle server left running loses nothing.
 */
class GrpcServerTest {

    @Test
    void aCallInFlightIsLostUnlessAHookShutsTheServerDownAndAwaitsIt() {
        Events events = Fixtures.tests(GrpcTestCases.class);

        assertThat(Fixtures.failureMessage(events, "callInFlightWithoutAHook")).contains("1 violation")
                .contains("ABANDONED_TASK: ").contains("thread \"grpc-default-executor-")
                .contains("when the JVM halted")
                .contains("dev.gracefulshutdown.GrpcServerTest$GrpcTestCases.export(")
                .contains("gRPC: server.shutdown(), then awaitTermination(...)");
        assertThat(Fixtures.failureMessage(events, "serverShutDownNowInAHook")).contains("1 violation")
                .contains("ABANDONED_TASK").contains("GrpcServerTest$GrpcTestCases.export(");
        Fixtures.assertPassed(events, "serverShutDownAndAwaitedInAHook", "idleServerNeverStopped");
    }

    /** Tests in parallel: whose work a shared pool does cannot be told, so none is taken (and nothing is blamed). */
    @Test
    void inParallelTheSharedPoolsWorkIsNotTakenByAnyTest() {
        Events events = Fixtures.tests(GrpcTestCases.class, "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent");

        Fixtures.assertPassed(events, "serverShutDownAndAwaitedInAHook", "idleServerNeverStopped");
    }

    @Test
    void theForkedJvmAgrees() {
        Events events = Fixtures.tests(GrpcTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true");

        // alone in its JVM, the test's own event loop hands the call over: the task gRPC submitted, named by the
        // handler's code it was running at the halt
        assertThat(Fixtures.failureMessage(events, "callInFlightWithoutAHook")).contains("1 violation")
                .contains("ABANDONED_TASK").contains("forked JVM")
                .contains("in the application's code at dev.gracefulshutdown.GrpcServerTest$GrpcTestCases.export(")
                .contains("gRPC: server.shutdown(), then awaitTermination(...)");
        assertThat(Fixtures.failureMessage(events, "serverShutDownNowInAHook")).contains("1 violation")
                .contains("ABANDONED_TASK");
        Fixtures.assertPassed(events, "serverShutDownAndAwaitedInAHook", "idleServerNeverStopped");
    }

    /** The idle server first: gRPC's shared executor and event loops are then an earlier test's in every later one. */
    @GracefulShutdownTest(gracePeriod = "5s")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class GrpcTestCases {

        static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(String value) {
                return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String parse(InputStream stream) {
                try {
                    return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        static final MethodDescriptor<String, String> EXPORT = MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("exports.Exports", "Export"))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

        /** The application's handler: an export that takes {@code millis}. */
        static void export(CountDownLatch running, long millis) {
            running.countDown();
            try {
                new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static Server start(CountDownLatch running, long millis) throws IOException {
            ServerServiceDefinition exports = ServerServiceDefinition.builder("exports.Exports")
                    .addMethod(EXPORT, ServerCalls.asyncUnaryCall((String request, io.grpc.stub.StreamObserver<String> reply) -> {
                        export(running, millis);
                        reply.onNext("exported " + request);
                        reply.onCompleted();
                    }))
                    .build();
            return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(exports).build().start();
        }

        static void call(Server server) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.getPort(),
                    InsecureChannelCredentials.create()).build();
            ClientCalls.futureUnaryCall(channel.newCall(EXPORT, CallOptions.DEFAULT), "report");
        }

        @Test
        @Order(2)
        void callInFlightWithoutAHook() throws Exception {
            CountDownLatch running = new CountDownLatch(1);
            call(start(running, 30_000));
            running.await();
        }

        @Test
        @Order(3)
        void serverShutDownAndAwaitedInAHook() throws Exception {
            CountDownLatch running = new CountDownLatch(1);
            Server server = start(running, 300);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown();
                try {
                    server.awaitTermination(4, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            call(server);
            running.await();
        }

        @Test
        @Order(4)
        void serverShutDownNowInAHook() throws Exception {
            CountDownLatch running = new CountDownLatch(1);
            Server server = start(running, 30_000);
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
            call(server);
            running.await();
        }

        @Test
        @Order(1)
        void idleServerNeverStopped() throws Exception {
            start(new CountDownLatch(1), 0);
        }
    }
}
