package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Where a framework catches the exception of the user's work and only logs it, so that the work looks as if it had
 * succeeded: each is reported like a catch block of the user's own code ({@link CatchBlocks}), as the failure of the
 * task that runs there. Spring's {@code @Async} methods that return {@code void}: their exception goes to the
 * {@code AsyncUncaughtExceptionHandler}, which logs it ({@code AsyncExecutionAspectSupport.handleError}).
 */
final class SwallowedFailures {

    private static final String SPRING_ASYNC = "org.springframework.aop.interceptor.AsyncExecutionAspectSupport";

    private SwallowedFailures() {
    }

    /** The classes instrumented (binary names), loaded by the application's class loaders. */
    static final List<String> CLASSES = List.of(SPRING_ASYNC);

    static AgentBuilder instrument(AgentBuilder agent, Advice.WithCustomMapping advice) {
        return agent
                .type(named(SPRING_ASYNC))
                .transform(Weaver.visit(advice, Advices.SpringAsyncErrorHandled.class,
                        named("handleError").and(takesArgument(0, Throwable.class)).and(takesArgument(1, java.lang.reflect.Method.class))));
    }
}
