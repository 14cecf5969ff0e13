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
}
