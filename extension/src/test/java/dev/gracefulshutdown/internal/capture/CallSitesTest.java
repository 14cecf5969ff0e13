package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.CallSite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who is behind a stack frame or a call site, decided on hand-made stacks. */
class CallSitesTest {

    // ---- one frame, one type --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"com.example.App", "org.acme.billing.Invoices", "App", "dev.gracefulshutdown.examples.http.ExportService"})
    void theUsersOwnCodeIsTheUsers(String type) {
        assertThat(CallSites.isUserType(type)).isTrue();
        assertThat(CallSites.isUserFrame(frame(type))).isTrue();
        assertThat(CallSites.isApplicationFrame(frame(type))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.Thread", "javax.naming.InitialContext", "jdk.internal.misc.Unsafe", "sun.misc.Signal",
        "com.sun.net.httpserver.HttpServer"})
    void theJdkIsNeitherTheUsersNorTheApplications(String type) {
        assertThat(CallSites.isUserType(type)).isFalse();
        assertThat(CallSites.isUserFrame(frame(type))).isFalse();
        assertThat(CallSites.isApplicationFrame(frame(type))).isFalse();
        assertThat(CallSites.isJdkFrame(frame(type))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.junit.jupiter.engine.execution.MethodInvocation", "org.apache.maven.surefire.booter.ForkedBooter",
        "org.awaitility.core.ConditionAwaiter", "org.assertj.core.api.Assertions", "org.gradle.api.internal.tasks.testing.Worker",
        "com.intellij.rt.junit.JUnitStarter", "net.bytebuddy.agent.ByteBuddyAgent", "org.testcontainers.containers.GenericContainer"})
    void toolsAreNeitherTheUsersNorTheApplications(String type) {
        assertThat(CallSites.isUserType(type)).isFalse();
        assertThat(CallSites.isApplicationFrame(frame(type))).isFalse();
        assertThat(CallSites.isJdkFrame(frame(type))).isFalse();
    }

    @Test
    void theKitsInternalsAndItsBridgeAreNeverTheUsers() {
        assertThat(CallSites.isUserType("dev.gracefulshutdown.internal.capture.Capture")).isFalse();
        assertThat(CallSites.isUserFrame(frame("dev.gracefulshutdown.internal.judge.Judge"))).isFalse();
        assertThat(CallSites.isUserType(AgentInstaller.BRIDGE_CLASS)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor", "io.netty.util.concurrent.SingleThreadEventExecutor",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor", "com.zaxxer.hikari.pool.HikariPool", "com.google.common.util.concurrent.MoreExecutors"})
    void aKnownLibraryIsTheApplicationsButNotTheUsersOwnCode(String type) {
        assertThat(CallSites.isApplicationFrame(frame(type))).isTrue();
        assertThat(CallSites.isUserFrame(frame(type))).isFalse();
        assertThat(CallSites.isUserType(type)).isFalse();
    }

    // ---- a whole stack --------------------------------------------------------------------------------------

    @Test
    void aThreadStartedByTheApplicationUnderJunitIsTheApplicationsAndItsSiteHoldsOnlyItsFrames() {
        CallSites.Captured captured = CallSites.classify(List.of(frame("java.lang.Thread", "start"),
                frame("com.example.Exporter", "start"), frame("com.example.App", "main"),
                frame("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke"),
                frame("org.junit.platform.commons.util.ReflectionUtils", "invokeMethod")));

        assertThat(captured.origin()).isEqualTo(CallSites.Origin.APPLICATION);
        assertThat(captured.site().frames()).extracting(StackTraceElement::getClassName)
                .containsExactly("com.example.Exporter", "com.example.App");
        assertThat(captured.jdkFrames()).extracting(StackTraceElement::getClassName).containsExactly("java.lang.Thread");
        assertThat(captured.passesThrough("java.lang.Thread")).isTrue();
        assertThat(captured.passesThrough("com.example.App")).isFalse();
    }

    @Test
    void theApplicationsSiteEndsWhereTheToolsFramesBegin() {
        CallSites.Captured captured = CallSites.classify(List.of(frame("java.util.concurrent.ThreadPoolExecutor", "execute"),
                frame("com.example.Exporter", "submit"), frame("com.example.ExporterTest", "lambda$test$0"),
                frame("org.awaitility.core.ConditionAwaiter", "await"), frame("com.example.ExporterTest", "test"),
                frame("org.junit.platform.commons.util.ReflectionUtils", "invokeMethod")));

        assertThat(captured.origin()).isEqualTo(CallSites.Origin.APPLICATION);
        assertThat(captured.site().frames()).extracting(StackTraceElement::getMethodName).containsExactly("submit", "lambda$test$0");
    }

    @Test
    void theKitsOwnFramesAreSkipped() {
        CallSites.Captured captured = CallSites.classify(List.of(frame("dev.gracefulshutdown.internal.capture.Capture", "threadStarting"),
                frame(AgentInstaller.BRIDGE_CLASS, "dispatch"), frame("java.lang.Thread", "start"), frame("com.example.App", "main")));

        assertThat(captured.origin()).isEqualTo(CallSites.Origin.APPLICATION);
        assertThat(captured.site().frames()).extracting(StackTraceElement::getClassName).containsExactly("com.example.App");
    }

    @Test
    void aThreadAToolStartsIsTheTools() {
        CallSites.Captured captured = CallSites.classify(List.of(frame("java.lang.Thread", "start"),
                frame("org.junit.jupiter.engine.extension.TimeoutExtension", "intercept"), frame("com.example.AppTest", "test")));

        assertThat(captured.origin()).isEqualTo(CallSites.Origin.TOOL);
        assertThat(captured.site().frames()).extracting(StackTraceElement::getClassName).containsExactly("com.example.AppTest");
    }

    @Test
    void aTestLibrarysExtensionStartingItsServerBeforeEachTestIsATool() {
        for (String invoker : new String[] {"invokeBeforeCallbacks", "invokeBeforeEachCallbacks", "invokeBeforeAllCallbacks"}) {
            CallSites.Captured captured = CallSites.classify(List.of(frame("java.util.concurrent.Executors", "newFixedThreadPool"),
                    frame("org.eclipse.jetty.util.thread.QueuedThreadPool", "doStart"),
                    frame("com.github.tomakehurst.wiremock.junit5.WireMockExtension", "beforeEach"),
                    frame("org.junit.jupiter.engine.descriptor.CallbackSupport", "lambda$invokeBeforeCallbacks$0"),
                    frame("org.junit.platform.engine.support.hierarchical.ThrowableCollector", "execute"),
                    frame("org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor", invoker)));

            assertThat(captured.origin()).as(invoker).isEqualTo(CallSites.Origin.TOOL);
        }
    }

    @Test
    void whatALibrarysExtensionCreatesElsewhereOrWithTheUsersCodeIsTheApplications() {
        List<StackTraceElement> junitCallsBeforeEach = List.of(frame("org.junit.jupiter.engine.descriptor.CallbackSupport",
                "lambda$invokeBeforeCallbacks$0"), frame("org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor",
                "invokeBeforeEachCallbacks"));
        List<StackTraceElement> springStartsTheApplication = new ArrayList<>(List.of(frame("java.lang.Thread", "start"),
                frame("org.springframework.test.context.junit.jupiter.SpringExtension", "beforeEach")));
        springStartsTheApplication.addAll(junitCallsBeforeEach);
        List<StackTraceElement> throughTheUsersCode = new ArrayList<>(List.of(frame("java.lang.Thread", "start"),
                frame("com.example.App", "start"), frame("io.vertx.junit5.VertxExtension", "beforeEach")));
        throughTheUsersCode.addAll(junitCallsBeforeEach);
        List<StackTraceElement> aParameterItResolves = List.of(frame("java.lang.Thread", "start"),
                frame("io.vertx.junit5.VertxExtension", "resolveParameter"),
                frame("org.junit.jupiter.engine.execution.ParameterResolutionUtils", "resolveParameter"),
                frame("org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor", "invokeTestMethod"));

        assertThat(CallSites.classify(springStartsTheApplication).origin()).isEqualTo(CallSites.Origin.APPLICATION);
        assertThat(CallSites.classify(throughTheUsersCode).origin()).isEqualTo(CallSites.Origin.APPLICATION);
        assertThat(CallSites.classify(aParameterItResolves).origin()).isEqualTo(CallSites.Origin.APPLICATION);
    }

    @Test
    void aJdkSingletonStartedFromAStaticInitializerIsTheJdksWhoeverTouchedItFirst() {
        CallSites.Captured captured = CallSites.classify(List.of(frame("java.lang.Thread", "start"),
                frame("java.lang.ProcessHandleImpl", "<clinit>"), frame("java.lang.ProcessBuilder", "start"),
                frame("com.example.App", "main")));

        assertThat(captured.origin()).isEqualTo(CallSites.Origin.JDK_SINGLETON);
    }

    @Test
    void aStackOfTheJdkAloneIsNotTheApplications() {
        assertThat(CallSites.classify(List.of(frame("java.lang.Thread", "start"), frame("java.lang.Thread", "run"))).origin())
                .isEqualTo(CallSites.Origin.TOOL);
        assertThat(CallSites.classify(List.of(frame("java.lang.Thread", "start"), frame("sun.nio.ch.Util", "<clinit>"))).origin())
                .isEqualTo(CallSites.Origin.JDK_SINGLETON);
    }

    @Test
    void aDeepStackKeepsAtMost24OfTheApplicationsFrames() {
        List<StackTraceElement> stack = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stack.add(frame("com.example.Recursion", "step" + i));
        }

        assertThat(CallSites.classify(stack).site().frames()).hasSize(24);
    }

    @Test
    void theTopOfALiveStackLeavesOutTheKit() {
        StackTraceElement[] stack = {frame("dev.gracefulshutdown.internal.capture.Scope", "snapshot"),
            frame("java.lang.Object", "wait"), frame("com.example.Worker", "run"), frame("java.lang.Thread", "run")};

        assertThat(CallSites.top(stack, 2)).extracting(StackTraceElement::getClassName)
                .containsExactly("java.lang.Object", "com.example.Worker");
    }

    @Test
    void aSiteWhoseInnermostFrameIsALibrarysWasTheLibrarys() {
        assertThat(CallSites.innermostIsLibrary(new CallSite(List.of(frame("org.apache.tomcat.util.net.NioEndpoint", "start"),
                frame("com.example.App", "main"))))).isTrue();
        assertThat(CallSites.innermostIsLibrary(new CallSite(List.of(frame("com.example.App", "main"))))).isFalse();
        assertThat(CallSites.innermostIsLibrary(new CallSite(List.of()))).isFalse();
    }

    @Test
    void aJdkWorkerRecordingItsNextStepRunsNothingOfTheApplications() {
        // an HttpClient's worker caught while the kit makes the call site of the step it hands on (CI, JUnit 6 on 17)
        StackTraceElement[] recording = {frame("dev.gracefulshutdown.CallSite", "<init>"),
            frame("dev.gracefulshutdown.internal.libraries.KnownLibraries", "contains"),
            frame("dev.gracefulshutdown.internal.capture.TaskEvents", "taskSubmitted"), frame("java.lang.GracefulShutdownJUnitBridge", "task"),
            frame("net.bytebuddy.agent.builder.AgentBuilder$Default$ExecutingTransformer", "transform"),
            frame("java.util.concurrent.ThreadPoolExecutor", "execute"), frame("jdk.internal.net.http.HttpClientImpl$DelegatingExecutor", "execute"),
            frame("java.util.concurrent.ThreadPoolExecutor$Worker", "run"), frame("java.lang.Thread", "run")};
        StackTraceElement[] usersCallback = {frame("com.example.Downloads", "onBody"),
            frame("jdk.internal.net.http.ResponseSubscribers", "onNext"), frame("java.lang.Thread", "run")};
        StackTraceElement[] kitsOwnTest = {frame("dev.gracefulshutdown.LeftoversTest$Fixture", "run"), frame("java.lang.Thread", "run")};

        assertThat(StackFrames.runsApplicationCode(recording)).isFalse();
        assertThat(StackFrames.runsApplicationCode(new StackTraceElement[0])).as("starting or ending").isFalse();
        assertThat(StackFrames.runsApplicationCode(usersCallback)).isTrue();
        assertThat(StackFrames.runsApplicationCode(kitsOwnTest)).as("the kit's package is not all the kit's").isTrue();
    }

    private static StackTraceElement frame(String type) {
        return frame(type, "run");
    }

    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, type.substring(type.lastIndexOf('.') + 1) + ".java", 10);
    }
}
