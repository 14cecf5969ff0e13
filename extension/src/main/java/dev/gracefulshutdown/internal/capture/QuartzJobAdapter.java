package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Quartz (2.x): a job run is a {@code JobRunShell}, handed to the scheduler's {@code SimpleThreadPool} with
 * {@code runInThread(Runnable)}, and its {@code run()} is the job. {@code scheduler.shutdown(false)} does not wait
 * for running jobs; {@code shutdown(true)} does.
 */
final class QuartzJobAdapter implements PoolAdapter {

    private static final String POOL = "org.quartz.simpl.SimpleThreadPool";

    @Override
    public String library() {
        return "Quartz";
    }

    @Override
    public String poolClass() {
        return POOL;
    }

    /** A job run: the user's job. */
    @Override
    public boolean carriesUsersWork(Object task) {
        return task.getClass().getName().equals("org.quartz.core.JobRunShell");
    }

    /** "job com.acme.ExportJob (DEFAULT.export-q3)", read from the shell's {@code JobExecutionContext}. */
    @Override
    public String describe(Object task) throws ReflectiveOperationException {
        if (!task.getClass().getName().equals("org.quartz.core.JobRunShell")) {
            return null;
        }
        Object execution = Fields.read(task, "jec");
        Object detail = execution.getClass().getMethod("getJobDetail").invoke(execution);
        Class<?> job = (Class<?>) detail.getClass().getMethod("getJobClass").invoke(detail);
        return "job " + job.getName() + " (" + detail.getClass().getMethod("getKey").invoke(detail) + ")";
    }

    @Override
    public List<String> instrumentedClasses() {
        return List.of(POOL, "org.quartz.core.JobRunShell");
    }

    @Override
    public Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(POOL)
                .transform(Weaver.visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(Weaver.visit(advice, Advices.TaskSubmitted.class, named("runInThread").and(takesArguments(1))))
                .transform(Weaver.visit(advice, Advices.ExecutorShutdown.class, named("shutdown").and(takesArguments(1))))
                .type("org.quartz.core.JobRunShell")
                .transform(Weaver.visit(advice, Advices.RunsItself.class, named("run").and(takesArguments(0))))
                // the job's exception, which the shell logs: a failure it swallows (SwallowedFailures)
                .transform(Weaver.visit(advice, Advices.QuartzJobFailed.class,
                        named("notifyJobListenersComplete").and(takesArguments(2))));
    }
}
