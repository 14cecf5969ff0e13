package dev.gracefulshutdown.examples;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every broken example fails without its {@code expect}; every fixed one passes. */
class ExamplesStillDetectTest {

    @ParameterizedTest
    @ValueSource(classes = {ReportServiceShutdownTest.class, ExecutorLifecycleTest.class, SpringAsyncShutdownTest.class,
        BatchJobShutdownTest.class, EverydayPitfallsTest.class, SpringBootAsyncShutdownTest.class,
        TomcatShutdownTest.class, JettyShutdownTest.class, UndertowShutdownTest.class, NettyShutdownTest.class, QuartzShutdownTest.class, ReactorShutdownTest.class,
        DelayedAndDiscardedWorkTest.class, SwallowedFailureTest.class, SpringBootServiceShutdownTest.class,
        SpringBootSameConfigurationShutdownTest.class, SpringBootHttpShutdownTest.class, JettyHttpShutdownTest.class, ExploredShutdownTest.class,
        WebClientShutdownTest.class})
    void brokenExamplesFailWithoutTheirExpectAndFixedOnesPass(Class<?> examples) {
        ExamplesStillDetect.check(examples);
    }
}
