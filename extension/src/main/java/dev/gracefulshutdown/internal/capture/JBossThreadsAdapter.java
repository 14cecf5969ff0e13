package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * JBoss Threads' {@code EnhancedQueueExecutor} (3.4 and later): the pool of XNIO's workers (Undertow's blocking
 * handlers, WildFly) and of Quarkus's worker threads. {@code execute} wraps the task in an
 * {@code EnhancedQueueExecutor$Task}, which is queued or handed to a thread and whose {@code run()} is the work; the
 * wrapper catches what the work throws and hands it to the pool's exception handler, which logs it (from 3.6, the
 * work runs in {@code Task.doRunWith}, where the kit sees the failure leave it). {@code shutdown()} lets the queue
 * drain; {@code shutdownNow()} interrupts the running tasks and hands the queued ones back, rewrapped. Before 3.4
 * there is no {@code Task}: the pool's threads are judged by their stacks.
 */
final class JBossThreadsAdapter implements PoolAdapter {

    private static final String POOL = "org.jboss.threads.EnhancedQueueExecutor";
    private static final String TASK = POOL + "$Task";
    /** Where the pool's wrapper catches the work's failure, in the words of a swallowed failure's message. */
    static final String LOGS_FAILURE = "JBoss Threads' EnhancedQueueExecutor (a task's exception goes to the pool's "
            + "exception handler, which logs it)";

    @Override
    public String library() {
        return "JBoss Threads";
    }

    @Override
    public String poolClass() {
        return POOL;
    }

    /** The work the pool's wrapper holds, as messages name it (the user's lambda, Undertow's dispatched handler). */
    @Override
    public String describe(Object task) throws ReflectiveOperationException {
        if (!task.getClass().getName().equals(TASK)) {
            return null;
        }
        return TaskDescriptions.describe(Fields.read(task, "delegate"));
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(POOL, TASK);
    }

    @Override
    public Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(POOL)
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.TaskRejected.class, named("rejectShutdown")
                        .or(named("rejectQueueFull")).or(named("rejectNoThread")).or(named("rejectException"))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class, named("shutdown").and(takesArguments(1))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdownNow.class, named("shutdownNow").and(takesArguments(0))))
                .type(TASK)
                .transform(Weaver.visit(advice, Advices.WrapperSubmitted.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.RunsItself.class, named("run").and(takesArguments(0))))
                .transform(Weaver.visit(advice, Advices.JBossTaskFailed.class, named("doRunWith").and(takesArguments(2))));
    }
}
