package dev.gracefulshutdown.internal.http;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.http.HttpTraffic;
import dev.gracefulshutdown.internal.capture.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * HTTP traffic in a forked test ({@code fork = true}). The child JVM runs the application and the test method; a
 * driver there would die with it, so the parent JVM sends the requests, as a load balancer outside the pod would,
 * and judges them against the real {@code SIGTERM} and the real exit. The test method's calls reach the parent as
 * commands: one small file each in the directory the two JVMs share, written whole (a rename) and read in order.
 * A command is data: the parent parses it strictly and checks every URI again (loopback only).
 */
public final class ForkedTraffic {

    private static final String PREFIX = "traffic-";
    private static final String IN_FLIGHT = "inFlight";
    private static final String ARRIVING = "arriving";

    private ForkedTraffic() {
    }

    /** The child's side: what the test method calls. */
    public static HttpTraffic child(Scope scope, Path directory) {
        return new Child(scope, directory);
    }

    /**
     * The parent's side of a test that was never run here (the child runs it): the parameter JUnit resolves before
     * the parent skips the method.
     */
    public static HttpTraffic notHere() {
        return new NotHere();
    }

    /** The parent's side: reads the child's commands and sends the requests. */
    public static Parent parent(Path directory, Duration gracePeriod) {
        return new Parent(directory, gracePeriod);
    }

    private static final class Child implements HttpTraffic {
        private final Scope scope;
        private final Path directory;
        private int commands;

        Child(Scope scope, Path directory) {
            this.scope = scope;
            this.directory = directory;
        }

        @Override
        public HttpTraffic inFlight(URI uri, int count) {
            TrafficDriver.checkInFlight(uri, count);
            Set<Thread> busyBefore = TrafficDriver.working(scope);
            command(IN_FLIGHT, uri.toString(), Integer.toString(count), TrafficDriver.callSite());
            TrafficDriver.awaitAtWork(scope, busyBefore, uri, count, List.of());
            return this;
        }

        @Override
        public HttpTraffic arriving(URI uri, int perSecond, Duration window) {
            TrafficDriver.checkArriving(uri, perSecond, window);
            command(ARRIVING, uri.toString(), Integer.toString(perSecond), Long.toString(window.toNanos()),
                    TrafficDriver.callSite());
            return this;
        }

        /** In a forked test the parent JVM sends the requests and judges them: the report has their verdict. */
        @Override
        public List<Request> requests() {
            return List.of();
        }

        private synchronized void command(String... fields) {
            Path file = directory.resolve(PREFIX + (++commands));
            Path partial = directory.resolve(PREFIX + commands + ".partial");
            try {
                Files.writeString(partial, String.join("\t", fields), StandardCharsets.UTF_8);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("HttpTraffic: could not hand the traffic to the parent JVM", e);
            }
        }
    }

    private static final class NotHere implements HttpTraffic {
        @Override
        public HttpTraffic inFlight(URI uri, int count) {
            throw new IllegalStateException("HttpTraffic: the forked test runs in its child JVM, not here");
        }

        @Override
        public HttpTraffic arriving(URI uri, int perSecond, Duration window) {
            throw new IllegalStateException("HttpTraffic: the forked test runs in its child JVM, not here");
        }

        @Override
        public List<Request> requests() {
            return List.of();
        }
    }

    /** The parent's side of one forked test's traffic. */
    public static final class Parent implements AutoCloseable {
        private final Path directory;
        private final Duration gracePeriod;
        private final Sender.Moments moments = new Sender.Moments();
        private Sender sender;
        private int read;

        private Parent(Path directory, Duration gracePeriod) {
            this.directory = directory;
            this.gracePeriod = gracePeriod;
        }

        /** Starts what the child asked for since the last call. */
        public void poll() {
            for (Path next = directory.resolve(PREFIX + (read + 1)); Files.exists(next); next = directory.resolve(PREFIX + (read + 1))) {
                read++;
                String text;
                try {
                    text = Files.readString(next, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("HttpTraffic: could not read the forked JVM's traffic", e);
                }
                start(text.split("\t", -1));
            }
        }

        private void start(String[] fields) {
            if (sender == null) {
                sender = new Sender(moments, gracePeriod);
            }
            try {
                if (fields[0].equals(IN_FLIGHT) && fields.length == 4) {
                    URI uri = URI.create(fields[1]);
                    int count = Integer.parseInt(fields[2]);
                    TrafficDriver.checkInFlight(uri, count);
                    sender.inFlight(uri, count, fields[3]);
                    return;
                }
                if (fields[0].equals(ARRIVING) && fields.length == 5) {
                    URI uri = URI.create(fields[1]);
                    int perSecond = Integer.parseInt(fields[2]);
                    Duration window = Duration.ofNanos(Long.parseLong(fields[3]));
                    TrafficDriver.checkArriving(uri, perSecond, window);
                    sender.arriving(uri, TimeUnit.SECONDS.toNanos(1) / perSecond, window, fields[4]);
                    return;
                }
            } catch (IllegalArgumentException malformed) {
                throw new IllegalStateException("HttpTraffic: the forked JVM's traffic command cannot be used: "
                        + malformed.getMessage(), malformed);
            }
            throw new IllegalStateException("HttpTraffic: the forked JVM sent an unknown traffic command ("
                    + fields.length + " fields, starting with " + fields[0] + ")");
        }

        /** The shutdown began now: {@code SIGTERM} was sent, or main returned. */
        public void triggered(long nanos) {
            moments.triggered(nanos);
        }

        /** The child JVM is gone. */
        public void halted(long nanos) {
            moments.halted(nanos);
        }

        /**
         * What the requests saw, judged; empty without traffic.
         *
         * @param jvmExits whether the child's JVM exited on its own (killed only at the end of the grace period
         *     counts as exiting there); otherwise the requests still unanswered are pending, not cut off
         */
        public List<Violation> verdict(ShutdownTrigger trigger, boolean jvmExits) {
            if (sender == null) {
                return List.of();
            }
            return sender.judge(moments.triggerNanos(), jvmExits ? moments.haltNanos() : 0, trigger).violations();
        }

        @Override
        public void close() {
            if (sender != null) {
                sender.close();
            }
        }
    }
}
