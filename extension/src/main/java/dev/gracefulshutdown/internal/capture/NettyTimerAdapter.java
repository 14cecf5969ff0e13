package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's {@code HashedWheelTimer} (Netty 4.1.69 and later, 4.2), the timer of Netty's own handlers and of the
 * clients built on Netty (Redisson, Lettuce, AsyncHttpClient) and of many services: {@code newTimeout(task, delay,
 * unit)} makes a {@code HashedWheelTimeout}, the timer's task, which waits in the wheel on the timer's one worker
 * thread and, when due, runs the user's {@code TimerTask} in its {@code run()}. {@code stop()} interrupts the worker,
 * waits for it to end, cancels the timeouts that never ran and hands them back (the application may run their
 * {@code task()} itself: then they are its business); a timeout still waiting when the JVM halts never runs. What a {@code TimerTask} throws, {@code run()} catches and logs ({@link SwallowedFailures}). A task that
 * schedules itself again from its own run (the wheel's way to repeat) is a repeating one.
 */
final class NettyTimerAdapter implements PoolAdapter {

    static final String TIMER = "io.netty.util.HashedWheelTimer";
    static final String TIMEOUT = TIMER + "$HashedWheelTimeout";

    @Override
    public String library() {
        return "Netty";
    }

    @Override
    public String poolClass() {
        return TIMER;
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(TIMER, TIMEOUT);
    }

    /** Its thread ignores interrupts: a timer a test left is stopped (what it hands back is dropped with the test). */
    @Override
    public String stopMethod() {
        return "stop";
    }

    /** The user's {@code TimerTask}, as messages name it ({@code lambda in com.acme.Sessions.expireLater}). */
    @Override
    public String describe(Object task) throws ReflectiveOperationException {
        Object inside = timerTask(task);
        return inside == null ? null : TaskDescriptions.describe(inside);
    }

    /** A timeout made while its own {@code TimerTask} runs: the task put itself back on the wheel. */
    @Override
    public Boolean periodic(Object task) {
        if (!task.getClass().getName().equals(TIMEOUT)) {
            return null;
        }
        LiveTask running = Capture.RUNNING.get(Thread.currentThread());
        try {
            return running != null && running.task.getClass() == task.getClass()
                    && timerTask(running.task) == timerTask(task);
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return Boolean.FALSE;
        }
    }

    /** The timeout's {@code TimerTask}, read from its field: its {@code task()} is the application's taking it back. */
    private static Object timerTask(Object timeout) throws ReflectiveOperationException {
        if (!timeout.getClass().getName().equals(TIMEOUT)) {
            return null;
        }
        return Fields.read(timeout, "task");
    }

    @Override
    public Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(TIMER)
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class, named("stop").and(takesArguments(0))))
                // the timeout is made by newTimeout(...) on the caller's thread, its timer its first argument
                .type(TIMEOUT)
                .transform(Weaver.visit(advice, Advices.WrapperSubmitted.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.RunsItself.class, named("run").and(takesArguments(0))))
                .transform(Weaver.visit(advice, Advices.FutureCancelled.class, named("cancel").and(takesArguments(0))))
                // what stop() handed back, the application may run itself: it takes each timeout's task() to do so
                .transform(Weaver.visit(advice, Advices.TaskTakenBack.class, named("task").and(takesArguments(0))));
    }
}
