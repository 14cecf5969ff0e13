package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Netty's event executors ({@code SingleThreadEventExecutor}: every event loop, and the executors of a
 * {@code DefaultEventExecutorGroup}, Netty 4.1 and 4.2): a task is a {@code Runnable} given to
 * {@code execute(Runnable, boolean)}, and one runs in the static {@code AbstractEventExecutor.runTask(Runnable)}.
 * {@code shutdownGracefully()} only starts the shutdown: a task still running or queued when the JVM halts is lost
 * unless the returned future is awaited. What the loop does between tasks (a handler's {@code channelRead} on the
 * I/O loop) is judged thread by thread.
 */
final class NettyEventExecutorAdapter implements PoolAdapter {

    private static final String EXECUTOR = "io.netty.util.concurrent.SingleThreadEventExecutor";

    @Override
    public String library() {
        return "Netty";
    }

    @Override
    public String poolClass() {
        return EXECUTOR;
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(EXECUTOR, "io.netty.util.concurrent.AbstractEventExecutor");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder agent, Advice.WithCustomMapping advice) {
        return agent
                .type(named(EXECUTOR))
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.TaskSubmitted.class, named("execute").and(takesArguments(2))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class,
                        named("shutdownGracefully").and(takesArguments(3))))
                .type(named("io.netty.util.concurrent.AbstractEventExecutor"))
                .transform(Weaver.visit(advice, Advices.RunsTaskArgument.class, named("runTask").and(takesArguments(1))));
    }
}
