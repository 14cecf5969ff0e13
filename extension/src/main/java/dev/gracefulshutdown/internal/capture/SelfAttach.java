package dev.gracefulshutdown.internal.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The kit's jar loaded into this JVM as an agent through HotSpot's attach listener, from this JVM itself: the JDK's
 * attach client refuses to attach to its own JVM unless {@code -Djdk.attach.allowAttachSelf=true} was given at start,
 * so Byte Buddy starts a helper JVM to attach from (a JVM start, and the client's 100 ms wait for the listener).
 * The listener itself only checks that its peer runs as the same user. Its protocol (version 1, which every HotSpot
 * from 9 to 25 accepts): {@code 1 \0 load \0 instrument \0 false \0 <jar>=<options> \0}; the answer is a status line,
 * then {@code return code: <n>}. The JVM then runs the jar's {@code agentmain} on its listener thread, which only
 * hands the instrumentation over ({@link Agent#HANDOVER_ARGUMENT}); this thread waits for the answer, then takes it.
 *
 * <p>Only on Linux with HotSpot, from the kit's jar (not a directory of classes; its manifest names the agent class),
 * and bounded: anything else, or any failure, returns {@code null}, and the caller attaches the usual way.
 */
final class SelfAttach {

    private static final long ANSWER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private SelfAttach() {
    }

    /** The instrumentation, or {@code null} where this way does not apply or did not work. */
    static Instrumentation attach() {
        if (!AttachListener.onLinux()) {
            return null;
        }
        Path jar = kitJar();
        if (jar == null || jar.toString().indexOf('\0') >= 0 || jar.toString().contains("=")) {
            return null;
        }
        if (!AttachListener.startEarly()) {
            return null;
        }
        Path socket = AttachListener.socket();
        String request = "1\0load\0instrument\0false\0" + jar + "=" + Agent.HANDOVER_ARGUMENT + "\0";
        try {
            String answer;
            try {
                answer = exchange(socket, request);
            } catch (java.net.ConnectException stale) { // an earlier process's socket file: nobody listens there
                if (!AttachListener.removeStaleSocket() || !AttachListener.startEarly()) {
                    return null;
                }
                answer = exchange(socket, request);
            }
            if (!answer.startsWith("0\n") || !answer.contains("return code: 0")) {
                return null;
            }
        } catch (IOException | RuntimeException failed) {
            return null;
        }
        return Agent.takeHandedOver();
    }

    /** The jar this class was loaded from, or {@code null} (a directory of classes, an unknown location). */
    private static Path kitJar() {
        try {
            java.security.CodeSource source = SelfAttach.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path path = Paths.get(source.getLocation().toURI());
            if (!Files.isRegularFile(path) || !path.getFileName().toString().endsWith(".jar")) {
                return null;
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile(), false)) {
                java.util.jar.Manifest manifest = jar.getManifest();
                boolean anAgent = manifest != null && Agent.class.getName().equals(manifest.getMainAttributes().getValue("Agent-Class"))
                        && "true".equals(manifest.getMainAttributes().getValue("Can-Retransform-Classes"));
                return anAgent ? path.toAbsolutePath() : null; // otherwise the JVM would refuse it, and say so on the console
            }
        } catch (URISyntaxException | IOException | RuntimeException unknown) {
            return null;
        }
    }

    /** Sends the request and reads the answer to its end (the listener closes the connection), within 10 s. */
    private static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(512);
            long deadline = System.nanoTime() + ANSWER_NANOS;
            while (true) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    throw new IOException("no answer from the attach listener within 10 s");
                }
                selector.select(remaining);
                selector.selectedKeys().clear();
                int read = channel.read(in);
                if (read < 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
        }
    }
}
