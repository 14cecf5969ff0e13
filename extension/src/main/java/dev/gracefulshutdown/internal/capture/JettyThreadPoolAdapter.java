package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Jetty's {@code QueuedThreadPool} (Jetty 9.4 to 12): a task is any {@code Runnable} given to {@code execute}, and
 * one runs in {@code runJob(Runnable)}. Stopping the pool ({@code doStop}) waits up to its stop timeout, then
 * interrupts the threads still running a job.
 */
final class JettyThreadPoolAdapter implements PoolAdapter {

    private static final String POOL = "org.eclipse.jetty.util.thread.QueuedThreadPool";

    @Override
    public String library() {
        return "Jetty";
    }

    @Override
    public String poolClass() {
        return POOL;
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(POOL);
    }

    @Override
    public Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(POOL)
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.TaskSubmitted.class, named("execute").and(takesArguments(1))))
                .transform(Weaver.visit(advice, Advices.RunsTaskArgument.class, named("runJob").and(takesArguments(1))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class, named("doStop").and(takesArguments(0))));
    }
}
