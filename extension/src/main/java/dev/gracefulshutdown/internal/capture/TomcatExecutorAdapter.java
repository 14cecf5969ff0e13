package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Tomcat's request threads run in {@code org.apache.tomcat.util.threads.ThreadPoolExecutor}, a copy of the JDK's
 * (Tomcat 9.0.x and later): a request is a task ({@code SocketProcessor}) submitted by the poller, and
 * {@code Tomcat.stop()} ends with {@code shutdownNow()}, which interrupts the requests still in flight. The JDK's
 * advice fits the copy as it is.
 */
final class TomcatExecutorAdapter implements PoolAdapter {

    private static final String POOL = "org.apache.tomcat.util.threads.ThreadPoolExecutor";

    /** A socket processor is a connection's request, accepted and waiting for a thread. */
    @Override
    public boolean carriesUsersWork(Object task) {
        return task.getClass().getName().startsWith("org.apache.tomcat.util.net.") && task.getClass().getName().contains("SocketProcessor");
    }

    @Override
    public String library() {
        return "Tomcat";
    }

    @Override
    public String poolClass() {
        return POOL;
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(POOL, POOL + "$Worker");
    }

    @Override
    public Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(POOL)
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.TaskSubmitted.class, named("execute").and(takesArguments(1))))
                .transform(Weaver.visit(advice, Advices.TaskRejected.class, named("reject")))
                .transform(Weaver.visit(advice, Advices.RunWorker.class, named("runWorker")))
                .transform(Weaver.visit(advice, Advices.GetTask.class, named("getTask")))
                .transform(Weaver.visit(advice, Advices.WorkerExits.class, named("processWorkerExit").and(takesArguments(2))))
                .transform(Weaver.visit(advice, Advices.InterruptingIdleWorkers.class,
                        named("interruptIdleWorkers").and(takesArguments(1))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class, named("shutdown").and(takesArguments(0))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdownNow.class, named("shutdownNow")))
                .type(POOL + "$Worker")
                .transform(Weaver.visit(advice, Advices.WorkerConstructed.class, isConstructor()));
    }
}
