package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classes of the libraries the kit instruments (here Netty's event executor) are woven once and kept in the cache,
 * like the JDK's: a later JVM defines them with the stored bytes, still instrumented, and never loads Byte Buddy beyond
 * its ASM (half a second in a cold JVM, paid at the first server or framework class before).
 */
class LibraryWeavingCacheTest {

    /** Byte Buddy's own entry point, which only the {@link Weaver} uses (the cache reads Byte Buddy's ASM alone). */
    private static final String WEAVER = "net.bytebuddy.ByteBuddy ";

    @TempDir
    Path directory;

    @Test
    void aLibrarysClassIsWovenOnceAndDefinedFromTheCacheInTheNextJvm() throws Exception {
        Path cache = directory.resolve("cache");

        Run first = run(cache, "first");
        assertThat(first.output).as(first.output).contains("tasks seen 1");
        assertThat(first.classesLoaded).as("the first JVM computes the bytes").contains(WEAVER).contains("net.bytebuddy.asm.Advice ");
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("SingleThreadEventExecutor-"));
        }

        Run second = run(cache, "second");
        assertThat(second.output).as(second.output).contains("tasks seen 1"); // woven: the kit saw the task
        assertThat(second.classesLoaded).contains("io.netty.util.concurrent.SingleThreadEventExecutor ")
                .doesNotContain(WEAVER).doesNotContain("net.bytebuddy.asm.Advice ");
    }

    private record Run(String output, String classesLoaded) {
    }

    private Run run(Path cache, String name) throws Exception {
        Path output = directory.resolve(name + ".txt");
        Path classes = directory.resolve(name + "-classes.txt");
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgracefulshutdown.agent.cache=" + cache, "-Xlog:class+load=info:file=" + classes,
                "-cp", System.getProperty("java.class.path"), CachedWeavingApp.class.getName());
        Process java = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!java.waitFor(60, TimeUnit.SECONDS)) {
            java.destroyForcibly();
            throw new AssertionError("the JVM did not exit within 60 s");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(java.exitValue()).as(text).isZero();
        return new Run(text, Files.readString(classes, StandardCharsets.UTF_8));
    }
}
