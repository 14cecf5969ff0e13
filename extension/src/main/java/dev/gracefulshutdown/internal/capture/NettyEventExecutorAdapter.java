package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's event executors ({@code SingleThreadEventExecutor}: every event loop, and the executors of a
 * {@code DefaultEventExecutorGroup}, Netty 4.1 and 4.2): a task is a {@code Runnable} given to
 * {@code execute(Runnable, boolean)}, or, scheduled from the loop itself, to {@code scheduleFromEventLoop}; one runs
 * in the static {@code AbstractEventExecutor.runTask(Runnable)}. What a task given to {@code submit} or {@code schedule}
 * throws, its promise keeps ({@code PromiseTask.setFailureInternal}), as a {@code FutureTask} does.
 * {@code shutdownGracefully()} only starts the shutdown: a task still running or queued when the JVM halts is lost
 * unless the returned future is awaited, and it cancels every scheduled task. What the loop does between tasks (a handler's {@code channelRead} on the
 * I/O loop) is judged thread by thread.
 */
final class NettyEventExecutorAdapter implements PoolAdapter {

    private static final String EXECUTOR = "io.netty.util.concurrent.SingleThreadEventExecutor";
    /** Where a task scheduled from the loop itself goes straight into the queue of scheduled tasks (Netty 4.1.52+). */
    private static final String SCHEDULING_EXECUTOR = "io.netty.util.concurrent.AbstractScheduledEventExecutor";

    @Override
    public String library() {
        return "Netty";
    }

    @Override
    public String poolClass() {
        return EXECUTOR;
    }

    private static final String PROMISE_TASK = "io.netty.util.concurrent.PromiseTask";
    private static final String SCHEDULED_TASK = "io.netty.util.concurrent.ScheduledFutureTask";

    /** A task given to {@code submit} or {@code schedule}: the user's runnable or callable inside Netty's promise. */
    @Override
    public String describe(Object task) throws ReflectiveOperationException {
        Class<?> promise = promiseTaskClass(task.getClass());
        if (promise == null) {
            return null;
        }
        Object inside = Fields.declared(promise, "task").get(task);
        if (inside != null && inside.getClass().getName().equals(PROMISE_TASK + "$RunnableAdapter")) {
            inside = Fields.declared(inside.getClass(), "task").get(inside);
        }
        return inside == null || promiseTaskClass(inside.getClass()) != null ? null : TaskDescriptions.describe(inside);
    }

    /**
     * A scheduled task runs once when it is handed to its event loop from another thread, only to put itself into the
     * loop's queue of scheduled tasks, and again each time it is due; it is done when its promise is.
     */
    @Override
    public boolean backToWait(Object task) {
        return task.getClass().getName().equals(SCHEDULED_TASK) && !((java.util.concurrent.Future<?>) task).isDone();
    }

    @Override
    public Boolean periodic(Object task) {
        if (!task.getClass().getName().equals(SCHEDULED_TASK)) {
            return null;
        }
        try {
            return Fields.declared(task.getClass(), "periodNanos").getLong(task) != 0;
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return Boolean.FALSE;
        }
    }

    private static Class<?> promiseTaskClass(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(PROMISE_TASK)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(EXECUTOR, "io.netty.util.concurrent.AbstractEventExecutor", SCHEDULING_EXECUTOR, PROMISE_TASK);
    }

    @Override
    public Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(EXECUTOR)
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.TaskSubmitted.class, named("execute").and(takesArguments(2))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class,
                        named("shutdownGracefully").and(takesArguments(3))))
                .type("io.netty.util.concurrent.AbstractEventExecutor")
                .transform(Weaver.visit(advice, Advices.RunsTaskArgument.class, named("runTask").and(takesArguments(1))))
                .type(SCHEDULING_EXECUTOR)
                .transform(Weaver.visit(advice, Advices.ScheduledFromItsLoop.class,
                        named("scheduleFromEventLoop").and(takesArguments(1))))
                // what a task given to submit or schedule throws, its promise keeps: the loop sees it return
                .type(PROMISE_TASK)
                .transform(Weaver.visit(advice, Advices.FutureFailed.class, named("setFailureInternal").and(takesArguments(Throwable.class))));
    }
}
