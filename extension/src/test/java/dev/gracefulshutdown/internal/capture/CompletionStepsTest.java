package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionStepsTest {

    private static final String CF = "java.util.concurrent.CompletableFuture";

    @Test
    void supplyAsyncsTaskRunningWhatWasChainedOnItsFuture() {
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(stack(
                "com.github.benmanes.caffeine.cache.LocalAsyncCache.handleCompletion",
                CF + "$UniWhenComplete.tryFire", CF + ".postComplete", CF + "$AsyncSupply.run", CF + "$AsyncSupply.exec",
                "java.util.concurrent.ForkJoinTask.doExec"))).isTrue();
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(stack(
                CF + ".postComplete", CF + "$AsyncRun.run", "java.util.concurrent.ThreadPoolExecutor.runWorker"))).isTrue();
    }

    @Test
    void anAsyncStageRunningWhatWasChainedOnItsFuture() {
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(stack(
                "com.google.common.util.concurrent.Uninterruptibles.acquireUninterruptibly", CF + "$UniAccept.tryFire",
                CF + ".postComplete", CF + ".postFire", CF + "$UniApply.tryFire", CF + "$Completion.exec",
                "java.util.concurrent.ForkJoinTask.doExec"))).isTrue();
    }

    @Test
    void aFutureTheTasksOwnCodeCompletesIsItsWork() {
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(stack(
                "com.acme.Listener.onReport", CF + "$UniAccept.tryFire", CF + ".postComplete", CF + ".complete",
                "com.acme.Reports.lambda$send$0", CF + "$AsyncSupply.run"))).isFalse();
        // thenCompose on a done future, in the task's own code: a synchronous relay, not the task's dependents
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(stack(
                CF + ".postComplete", CF + ".postFire", CF + "$UniRelay.tryFire", CF + ".unipush",
                CF + ".uniComposeStage", "com.acme.Reports.lambda$send$0", CF + "$AsyncSupply.run"))).isFalse();
    }

    @Test
    void aTaskStillInItsOwnCode() {
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(stack(
                "com.acme.Reports.lambda$send$0", CF + "$AsyncSupply.run"))).isFalse();
        assertThat(CompletionSteps.runsWhatWasChainedOnItsFuture(new StackTraceElement[0])).isFalse();
    }

    /** Innermost first, as {@link Thread#getStackTrace()} gives it; each entry {@code type.method}. */
    private static StackTraceElement[] stack(String... frames) {
        StackTraceElement[] stack = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++) {
            int dot = frames[i].lastIndexOf('.');
            stack[i] = new StackTraceElement(frames[i].substring(0, dot), frames[i].substring(dot + 1), null, -1);
        }
        return stack;
    }
}
