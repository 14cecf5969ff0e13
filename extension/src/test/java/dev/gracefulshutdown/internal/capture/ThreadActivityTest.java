package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.CapturedThread.Activity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a thread is doing, read from its state and stack. */
class ThreadActivityTest {

    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, null, -1);
    }

    @Test
    void aWorkerWaitingForItsNextTaskIsIdle() {
        assertThat(ThreadActivity.of(Thread.State.WAITING, List.of(frame("jdk.internal.misc.Unsafe", "park"),
                frame("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "await"),
                frame("java.util.concurrent.LinkedBlockingQueue", "take"), frame("com.example.MiniExecutor", "work"),
                frame("java.lang.Thread", "run")))).isEqualTo(Activity.IDLE);
    }

    @Test
    void aWorkerLeavingItsWaitBecauseOfAnInterruptIsStillIdle() {
        // caught while the InterruptedException's stack is being filled in: runnable, but running no task
        assertThat(ThreadActivity.of(Thread.State.RUNNABLE, List.of(frame("java.lang.Throwable", "fillInStackTrace"),
                frame("java.lang.Throwable", "<init>"), frame("java.lang.InterruptedException", "<init>"),
                frame("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "await"),
                frame("java.util.concurrent.LinkedBlockingQueue", "take"), frame("com.example.MiniExecutor", "work"),
                frame("java.lang.Thread", "run")))).isEqualTo(Activity.IDLE);
    }

    @Test
    void aTaskThatThrowsOrRunsIsWorking() {
        assertThat(ThreadActivity.of(Thread.State.RUNNABLE, List.of(frame("java.lang.Throwable", "<init>"),
                frame("java.lang.IllegalStateException", "<init>"), frame("com.example.Export", "write"),
                frame("com.example.MiniExecutor", "work"), frame("java.lang.Thread", "run")))).isEqualTo(Activity.WORKING);
        assertThat(ThreadActivity.of(Thread.State.RUNNABLE, List.of(frame("com.example.Export", "write"),
                frame("com.example.MiniExecutor", "work"), frame("java.lang.Thread", "run")))).isEqualTo(Activity.WORKING);
    }

    @Test
    void theKitsOwnBookkeepingOnALibrarysThreadIsNotTheUsersWork() {
        // Jetty's selector submitting a task: the kit records it, and makes a CallSite (a public class of the kit's)
        assertThat(ThreadActivity.of(Thread.State.RUNNABLE, List.of(frame("dev.gracefulshutdown.CallSite", "<init>"),
                frame("dev.gracefulshutdown.internal.capture.CallSites", "classify"),
                frame("dev.gracefulshutdown.internal.capture.Dispatcher", "apply"),
                frame("org.eclipse.jetty.util.thread.QueuedThreadPool", "execute"),
                frame("org.eclipse.jetty.io.ManagedSelector", "submit"), frame("java.lang.Thread", "run"))))
                .isEqualTo(Activity.IDLE);
        // the user's code in the kit's packages is still the user's
        assertThat(CallSites.isKitType("dev.gracefulshutdown.examples.jetty.ExportWebServer$Routes")).isFalse();
        assertThat(CallSites.isKitType("dev.gracefulshutdown.SpringSchedulersTest$SchedulerTestCases")).isFalse();
        assertThat(CallSites.isKitType("dev.gracefulshutdown.CapturedThread$Role")).isTrue();
    }

    @Test
    void everyPublicClassOfTheKitIsTheKits() throws Exception {
        java.nio.file.Path classes = java.nio.file.Paths.get(
                dev.gracefulshutdown.CallSite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> packages = List.of("dev/gracefulshutdown", "dev/gracefulshutdown/http", "dev/gracefulshutdown/spring",
                "dev/gracefulshutdown/testcontainers");
        int checked = 0;
        for (String pkg : packages) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(classes.resolve(pkg))) {
                for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class")) {
                        String type = pkg.replace('/', '.') + "." + name.substring(0, name.length() - ".class".length());
                        assertThat(CallSites.isKitType(type)).as(type).isTrue();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(15);
    }
}
