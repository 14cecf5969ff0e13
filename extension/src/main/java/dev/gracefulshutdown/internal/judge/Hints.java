package dev.gracefulshutdown.internal.judge;


/** The usual fix for each violation, in one line. */
final class Hints {

    static final String LINGERING_POOL = "shut the pool down when the application stops: shutdown() then "
            + "awaitTermination(...) in a finally block, a shutdown hook or the framework's stop callback "
            + "(or try-with-resources on JDK 19+); use daemon threads only for work that may die with the JVM";
    static final String LINGERING_KEEP_ALIVE = "shut the pool down when the work is done, or shorten its keep-alive "
            + "(with allowCoreThreadTimeOut(true)) so that idle threads end within the exit timeout";
    static final String LINGERING_TIMER = "call timer.cancel() when the application stops, or create it with "
            + "new Timer(true) if its tasks may die with the JVM";
    static final String LINGERING_WHEEL_TIMER = "call stop() on the HashedWheelTimer when the application stops (after "
            + "the timeouts whose work must still run), or give it a ThreadFactory of daemon threads if its timeouts may "
            + "die with the JVM";
    static final String LINGERING_THREAD_MAIN = "make the thread end when the application stops (signal it and join "
            + "it), or make it a daemon thread if its work may die with the JVM";
    static final String INTERRUPTED = "shut the executor down with shutdown() rather than shutdownNow(), then "
            + "awaitTermination(...) within the grace period (Spring: waitForTasksToCompleteOnShutdown(true) and "
            + "awaitTerminationSeconds)";
    static final String ABANDONED = "in the shutdown path (a hook or the framework's stop callback) call shutdown() and "
            + "then awaitTermination(...) so that running tasks finish before the halt, within the grace period";
    static final String ABANDONED_ON_WORKER = "stop the server or framework gracefully in the shutdown path and wait "
            + "for the work in flight within the grace period (Tomcat/Spring Boot: server.shutdown=graceful; Jetty: "
            + "setStopTimeout with a graceful handler; Netty: shutdownGracefully(...).await(); Quartz: shutdown(true); Spring's "
            + "SimpleAsyncTaskExecutor and SimpleAsyncTaskScheduler: setTaskTerminationTimeout(...); gRPC: server.shutdown(), "
            + "then awaitTermination(...); Kotlin's coroutines: join the jobs in flight, runBlocking { job.join() })";
    static final String ABANDONED_ON_THREAD = "signal the thread to stop from a shutdown hook (or the framework's stop "
            + "callback) and join it there, within the grace period, so that its work in flight finishes before the halt";
    static final String INTERRUPTED_ON_THREAD = "let the work in flight finish before stopping what runs it: stop taking "
            + "new work, wait for the running work within the grace period, and interrupt only what is still running "
            + "after that (Tomcat: a graceful connector shutdown; a hand-written pool: signal, then join)";
    static final String DROPPED = "let queued tasks run before the halt: shutdown() (not shutdownNow()) and "
            + "awaitTermination(...) long enough to drain the queue, or persist queued work to resume it later";
    static final String DISCARDED = "use a rejection policy that tells the submitter (the default AbortPolicy, then "
            + "handle RejectedExecutionException), or size the queue and pool for the load; CallerRunsPolicy runs "
            + "nothing once the executor is shut down: stop submitting before shutting it down";
    static final String DROPPED_BY_SHUTDOWN_POLICY = "keep delayed tasks through the shutdown "
            + "(setExecuteExistingDelayedTasksAfterShutdownPolicy(true), the default) and await them within the grace "
            + "period, or run or persist the pending work in the shutdown path";
    static final String DROPPED_IN_LIBRARY_POOL = "stop the server or framework gracefully, so that it stops taking "
            + "work and drains what it accepted before the halt, within the grace period (Tomcat/Spring Boot: "
            + "server.shutdown=graceful; Netty: shutdownGracefully(...) and await its future, after awaiting the scheduled "
            + "tasks that must still run, since it cancels them; Quartz: shutdown(true))";
    static final String DROPPED_SCHEDULED_IN_LIBRARY_POOL = "before shutting the executor down, wait (within the grace "
            + "period) for the scheduled work that must still run, or run or persist it in the shutdown path: the "
            + "executor's shutdown cancels every task still waiting for its time";
    static final String DROPPED_BY_DELAYER = "in the shutdown path, wait (within the grace period) for the futures of "
            + "work scheduled with CompletableFuture.delayedExecutor, or run or persist it now: the JDK's delayer is a "
            + "daemon thread, and work still waiting in it dies at the halt";
    static final String TIMER = "a java.util.Timer cannot be drained or awaited, and its thread dies at the halt with "
            + "the task it runs and every task still scheduled: run what must run in the shutdown path, or move the work "
            + "to a ScheduledExecutorService, then shutdown() and awaitTermination(...) within the grace period (its "
            + "delayed tasks still run after shutdown() by default)";
    static final String WHEEL_TIMER = "a Netty HashedWheelTimer cannot be drained: stop() interrupts the timeout it "
            + "runs and cancels every timeout still waiting (it hands them back), and at the halt its thread dies with "
            + "them; in the shutdown path, wait (within the grace period) for the timeouts whose work must still run, or "
            + "run or persist that work, and only then stop() the timer";
    static final String EXCHANGE_IN_FLIGHT = "in the shutdown path, wait (within the grace period) for the requests "
            + "still in flight: keep their futures and join them with a timeout in a hook or the framework's stop "
            + "callback, or stop sending before the shutdown begins";
    static final String CANCELLED_BEFORE_IT_BEGAN = "let the work already handed over start and finish before the "
            + "executor closes: wait for it in the shutdown path within the grace period (Spring's SimpleAsyncTaskExecutor: "
            + "a task termination timeout long enough for it, and cancelRemainingTasksOnClose left off)";
    static final String EXCHANGE_FAILED = "keep what an exchange's listener or callback uses (connections, data sources, "
            + "files) open until the exchanges in flight have completed: in the shutdown path, wait (within the grace "
            + "period) for their listeners before closing what they use and stopping the client";
    static final String FAILED = "keep what a task uses (connections, data sources, files) open until its executor has "
            + "terminated: shut the executor down and await it before closing them";
    static final String FAILED_ON_ITS_OWN_THREAD = "keep what the task uses (connections, data sources, files) open "
            + "until it has finished: in the shutdown path, wait for it within the grace period before closing them "
            + "(join its future or its thread with a timeout; a thread-per-task executor's close(); Spring's "
            + "SimpleAsyncTaskExecutor: setTaskTerminationTimeout)";
    static final String REJECTED = "stop submitting before shutting the executor down, or handle "
            + "RejectedExecutionException where work can still arrive during the shutdown";
    static final String HOOK_TIMEOUT = "make the hooks finish within the grace period: bound every wait in them "
            + "(awaitTermination with a timeout shorter than the grace period) or raise the grace period "
            + "(terminationGracePeriodSeconds, docker stop -t)";
    static final String HOOK_FAILED = "catch and log exceptions inside the hook: a hook that throws skips the rest "
            + "of its own cleanup";
    static final String EXIT_IN_HOOK = "never call System.exit from a shutdown hook: return from the hook instead "
            + "(or Runtime.halt if the process must stop at once)";

    static final String SIGTERM_NOT_PASSED_ON = "make the JVM the container's main process: the exec form "
            + "ENTRYPOINT [\"java\", ...], or exec java ... as the last line of an entrypoint script; a shell that must "
            + "stay in front has to pass the signal on (trap 'kill -TERM $pid' TERM, then wait), or run under an init "
            + "that signals the whole process group (tini -g)";
    static final String SIGTERM_TAKEN = "let SIGTERM start the JVM's shutdown: a signal handler "
            + "(sun.misc.Signal.handle) that replaces the JVM's must end with System.exit; -Xrs turns the JVM's "
            + "handler off too";
    static final String NO_SHUTDOWN_PATH_RAN = "first make the JVM begin its shutdown on SIGTERM "
            + "(SHUTDOWN_NEVER_STARTED above): no hook ran, so the shutdown path cannot be judged until it does";

    private Hints() {
    }

}
