package dev.gracefulshutdown.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void aFrameReadsAsClassMethodFileAndLine() {
        assertThat(Frames.format(new StackTraceElement("com.example.App", "main", "App.java", 12)))
                .isEqualTo("com.example.App.main(App.java:12)");
    }

    @Test
    void theJdksFramesLoseTheirModuleAndLoaderPrefix() {
        StackTraceElement frame = new StackTraceElement("app", "java.base", "17", "java.lang.Thread", "run", "Thread.java", 840);

        assertThat(frame.toString()).startsWith("app/java.base@17/");
        assertThat(Frames.format(frame)).isEqualTo("java.lang.Thread.run(Thread.java:840)");
    }

    @Test
    void aFrameWithoutFileLineOrCodeSaysSo() {
        assertThat(Frames.format(new StackTraceElement("com.example.Gen", "call", null, -1)))
                .isEqualTo("com.example.Gen.call(Unknown Source)");
        assertThat(Frames.format(new StackTraceElement("com.example.App", "run", "App.java", -1)))
                .isEqualTo("com.example.App.run(App.java)");
        assertThat(Frames.format(new StackTraceElement("java.lang.Thread", "sleep0", "Thread.java", -2)))
                .isEqualTo("java.lang.Thread.sleep0(Native Method)");
    }

    @Test
    void anExceptionIsPlacedAtItsInnermostFrame() {
        IllegalStateException failure = new IllegalStateException("closed");
        failure.setStackTrace(new StackTraceElement[] {new StackTraceElement("com.example.Pool", "get", "Pool.java", 7),
            new StackTraceElement("com.example.App", "main", "App.java", 12)});

        assertThat(Frames.thrownAt(failure)).isEqualTo("com.example.Pool.get(Pool.java:7)");
        failure.setStackTrace(new StackTraceElement[0]);
        assertThat(Frames.thrownAt(failure)).isEqualTo("unknown site");
    }
}
