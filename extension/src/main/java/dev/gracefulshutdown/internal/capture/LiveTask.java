package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;

/** A task the application submitted, and what is happening to it, while the test runs. */
public final class LiveTask {

    enum State { QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, REJECTED, DISCARDED }

    final Object task;
    /**
     * What a library handed over on the user's call, from inside the JDK's wrapper ({@link JdkWrappers#workOf}), or a
     * library's object inside the JDK's wrapper the user's code handed over (the supplier Spring's {@code FutureUtils}
     * gives {@code CompletableFuture.supplyAsync} for an {@code @Async} method's call); {@code null} when neither the
     * innermost frame where it was submitted nor the wrapped work is a known library's.
     */
    final Object librarysWork;
    final Scope scope;
    final String id;
    final String description;
    final String executorId;
    final CallSite site;
    /** What throws away the tasks still scheduled on a {@code java.util.Timer}, as messages say it. */
    public static final String TIMER_CANCELLED = "timer.cancel() (or by the end of the timer's thread: a task's uncaught "
            + "exception ends it)";
    /**
     * Whether it repeats; a timer's task says so only once it is scheduled ({@link TimerTasks}), a library's task that
     * reschedules itself (a cron trigger's) once it is judged.
     */
    volatile boolean periodic;
    final boolean delayed;
    final LiveExecutor executor;
    volatile State state = State.QUEUED;
    /** For the changes of {@link #state} that must not overwrite a worker's (a task handed back to its queue). */
    static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<LiveTask, State> STATE =
            java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(LiveTask.class, State.class, "state");
    volatile Thread thread;
    /**
     * An HTTP exchange sent asynchronously: in flight until its task, the future the client returned or the listener it
     * was given (Jetty's), says it ended. Never a library's work: it was sent on the user's call.
     */
    final boolean exchange;
    /** An exchange whose task is its listener (Jetty's), not a future: the listener has been told it completed. */
    volatile boolean exchangeDone;
    /**
     * The thread telling an exchange's listener or stages that it completed, while it does: the exchange's work goes on
     * there (its future may be done already).
     */
    volatile Thread toldOn;
    /** The thread of the {@code java.util.Timer} it was scheduled on, or {@code null}: its state is read from the timer. */
    volatile Thread timerThread;
    /** That timer, for the kit's cleanup. */
    volatile java.util.Timer timer;
    volatile Throwable failure;
    volatile Throwable futureFailure;
    volatile CallSite interruptSite;
    /** Whether the user's code was on its thread's stack when it was interrupted (its work was cut, not a wait of the library's). */
    volatile boolean interruptedInUsersCode;
    volatile boolean endedDuringShutdown;
    volatile boolean rejectedBecauseShutDown;
    volatile boolean cancelledDuringShutdown;
    volatile boolean drainedByShutdownNow;
    /** Whether that {@code shutdownNow()} was part of the shutdown (a hook's). */
    volatile boolean drainedDuringShutdown;
    /**
     * What cancelled it as its executor stopped, not its owner, in words: a scheduled executor's {@code shutdown()} (its
     * delayed tasks policy), a Netty timer's {@code stop()}; {@code null} otherwise.
     */
    volatile String cancelledByItsPool;
    /** What threw it away without running it, for {@link State#DISCARDED}. */
    volatile String discardedBy;
    /**
     * The rejection handler that returned without running the task and without it being in the queue afterwards: it
     * threw the task away, unless a worker took it from the queue the handler had put it back into in between. Decided
     * when the inventory is taken: still queued by then, and not in its pool's queue, it was thrown away.
     */
    volatile String handledBy;
    /** An exception the task's own code caught during the shutdown, and where. */
    volatile Throwable caughtFailure;
    volatile String caughtAt;
    /**
     * The failure it caught during the shutdown came out of the user's code and a library kept it (a stage's future,
     * a framework's handler): the user's work failed in it, even if the task itself is a library's own.
     */
    volatile boolean usersCodeFailedInIt;
    /**
     * Its worker left the pool's loop because the task threw ({@code processWorkerExit}): it failed, though its
     * exception reaches the kit only once the worker has done the pool's bookkeeping, which may signal the pool's
     * termination first (a hook awaiting it returns, and the JVM halts, before the exception is seen).
     */
    volatile boolean threwOutOfItsWorker;
    /**
     * The future it completes when it is one of {@code CompletableFuture}'s own tasks ({@code supplyAsync},
     * {@code runAsync}, an async stage), read when it was submitted; {@code null} otherwise.
     */
    private final java.util.concurrent.CompletableFuture<?> completes;
    /** Set when the kit saw the task's own code return (a CompletableFuture's async task). */
    volatile boolean ownWorkDone;
    /** Whether its own work ended (its future completed) once the shutdown had begun: set with {@link #ownWorkDone}. */
    volatile boolean ownWorkDoneDuringShutdown;
    volatile LiveTask outer;
    /** When it was submitted, began to run, and ended (or was thrown away): {@code System.nanoTime()}, 0 until then. */
    final long submittedNanos = System.nanoTime();
    volatile long startedNanos;
    volatile long endedNanos;

    LiveTask(Object task, Scope scope, String id, String description, String executorId, CallSite site, boolean periodic,
            boolean delayed, LiveExecutor executor) {
        this(task, scope, id, description, executorId, site, periodic, delayed, executor, false);
    }

    /** An HTTP exchange in flight from now, sent at {@code site}, ended when {@code endsIt} (a future or a listener) says so. */
    static LiveTask exchange(Object endsIt, Scope scope, String id, String description, String client, CallSite site) {
        LiveTask exchange = new LiveTask(endsIt, scope, id, description, client, site, false, false, null, true);
        exchange.state = State.RUNNING;
        exchange.startedNanos = exchange.submittedNanos;
        return exchange;
    }

    private LiveTask(Object task, Scope scope, String id, String description, String executorId, CallSite site,
            boolean periodic, boolean delayed, LiveExecutor executor, boolean exchange) {
        this.exchange = exchange;
        this.delayed = delayed;
        this.executor = executor;
        this.task = task;
        this.scope = scope;
        this.id = id;
        this.description = description;
        this.executorId = executorId;
        this.site = site;
        this.periodic = periodic;
        this.completes = exchange ? null : CompletionSteps.futureCompletedBy(task);
        Object work = JdkWrappers.workOf(task);
        this.librarysWork = !exchange && (CallSites.innermostIsLibrary(site) || work != task && KnownLibraries.contains(work.getClass().getName()))
                ? work : null;
    }

    /**
     * A running task whose future is done, or whose code is no longer on its thread's stack, has finished its
     * work: its worker is only doing the pool's bookkeeping, and a halt there loses nothing.
     */
    boolean finishedItsOwnWork() {
        if (exchange) {
            Thread telling = toldOn;
            if (telling != null && StackFrames.runsApplicationCode(telling)) {
                return false; // what the application does with the answer still runs
            }
            return task instanceof java.util.concurrent.Future<?> future ? future.isDone() : exchangeDone;
        }
        if (ownWorkDone) {
            return true;
        }
        if (task instanceof java.util.concurrent.FutureTask) {
            java.util.concurrent.Future<?> future = (java.util.concurrent.Future<?>) task;
            if (future.isDone() && !future.isCancelled()) {
                return true;
            }
        }
        Thread ranOn = thread;
        if (ranOn == null) {
            return false;
        }
        StackTraceElement[] stack = ranOn.getStackTrace();
        if (inLibraryPool()) { // a server's own loop (a selector, an acceptor) is a task of its pool too: only the user's code is work
            return ThreadActivity.of(ranOn.getState(), stack) != dev.gracefulshutdown.CapturedThread.Activity.WORKING;
        }
        if (completes != null && completes.isDone() && CompletionSteps.runsWhatWasChainedOnItsFuture(stack)
                || task instanceof java.util.concurrent.Future<?> future && future.isDone() && !future.isCancelled()) {
            // its future is complete (who waited for it went on), and its thread runs what was chained on it (a
            // CompletableFuture's dependents, a Guava future's listeners): the user's stages and listeners are the
            // user's work; a library's (a cache storing the value it loaded) is not
            return !StackFrames.runsUsersCode(stack);
        }
        return !StackFrames.runsApplicationCode(stack);
    }

    /** What its future failed with, as far as the kit knows (its own future's, if it completed it). */
    private Throwable futureFailure() {
        Throwable failed = futureFailure;
        return failed != null || completes == null ? failed : CompletionSteps.failureOf(completes);
    }

    private volatile String named;

    /**
     * The task as messages name it: a library's wrapper submitted on the user's call (Reactor's {@code SchedulerTask},
     * RxJava's {@code ScheduledRunnable}) by the user's code it carries, looked for once, when the task is reported.
     */
    private String named() {
        String name = named;
        if (name == null) {
            Object users = librarysWork == null ? null : LibraryTasks.usersCodeIn(librarysWork);
            String usersName = users == null ? null : TaskDescriptions.describe(users);
            // a pool's wrapper its adapter already names by what it holds (JBoss Threads' Task) is not named twice
            name = usersName == null || usersName.equals(description) ? description : usersName + ", inside " + description;
            named = name;
        }
        return name;
    }

    /**
     * For a task a library submitted (no frame of the user's code where it was submitted: gRPC's
     * {@code SerializingExecutor} calling a service's handler) that is running the user's code now: where that code
     * is, the one thing a message can name of it. Empty for any other, and for one named by the user's code it holds.
     */
    private String inUsersCodeNow(CapturedTask.Outcome outcome, Thread ranOn) {
        if (outcome != CapturedTask.Outcome.RUNNING && outcome != CapturedTask.Outcome.INTERRUPTED || ranOn == null
                || !ranOn.isAlive() || Capture.RUNNING.get(ranOn) != this || site.frames().stream().anyMatch(StackFrames::isUserFrame)
                || !named().equals(description) || StackFrames.isUserFrame(new StackTraceElement(task.getClass().getName(), "run", null, -1))) {
            return ""; // submitted by the user's code, named by the user's code it carries, or its thread moved on
        }
        for (StackTraceElement frame : ranOn.getStackTrace()) {
            if (StackFrames.isUserFrame(frame)) {
                return ", in the application's code at " + new CallSite(java.util.List.of(frame)).where();
            }
        }
        return "";
    }

    /** Whether it runs in a server's or framework's own pool (Tomcat's, Jetty's...), through an adapter. */
    boolean inLibraryPool() {
        return executor != null && PoolAdapter.libraryOf(executor.executor) != null;
    }

    /**
     * A library's own housekeeping: submitted by the library itself (no frame of the user's code where it was
     * submitted), as the library's code, or by the library on the user's call as an object of its own that holds
     * none of the user's code ({@link LibraryTasks}), looked at inside the JDK's {@code FutureTask} where the kit can;
     * and not a kind of task its pool's adapter knows carries the user's work (a request, a job). Never run, it is not
     * the application's lost work.
     */
    private boolean libraryHousekeeping() {
        Boolean pinned = housekeeping;
        if (pinned == null) {
            pinned = whetherLibraryHousekeeping();
            housekeeping = pinned;
        }
        return pinned;
    }

    private volatile Boolean housekeeping;

    /**
     * Decides now, while the task runs, what it carries (the user's code or the library's alone) and how messages name
     * it, rather than when it is judged: a library may let go of the work once it has run (Netty's scheduled task
     * clears its runnable when it completes, so a Vert.x timer that ran the user's handler would look like Vert.x's
     * own, and its scheduled task cancelled by the loop's shutdown like Vert.x's own timers). Called where what happens
     * next depends on it: a failure caught, a future failed, an interrupt, its executor shut down.
     */
    void pinWhatItCarries() {
        libraryHousekeeping();
        named();
    }

    private boolean whetherLibraryHousekeeping() {
        if (PoolAdapter.anyCarriesUsersWork(task)) {
            return false;
        }
        if (description.startsWith("jdk.internal.") || description.startsWith("lambda in jdk.internal.")) {
            return true; // the JDK's own machinery (an HttpClient writing a request), never the user's code
        }
        boolean submittedByTheLibrary = site.frames().stream().noneMatch(StackFrames::isUserFrame)
                && KnownLibraries.contains(description.startsWith("lambda in ") ? description.substring(10) : description)
                && !carriesUsersCode();
        // on the user's call, but the library's own task (a cache's cleanup after a put), holding none of the user's code
        return submittedByTheLibrary || librarysWork != null && LibraryTasks.isLibrarysOwn(librarysWork);
    }

    private volatile Boolean carriesUsersCode;

    /**
     * Whether a task the library submitted from a thread of its own carries the user's code, found for certain (a
     * lambda, a callable of the user's class), not merely possible: a retry scheduled by the thread on which the
     * user's call failed (Reactor's {@code retryWhen}, Resilience4j's and Failsafe's asynchronous retries), a delayed
     * element of a chain that ends in the user's function. Looked for once, when the task is judged.
     */
    private boolean carriesUsersCode() {
        Boolean carries = carriesUsersCode;
        if (carries == null) {
            carries = LibraryTasks.usersCodeIn(JdkWrappers.workOf(task)) != null;
            carriesUsersCode = carries;
        }
        return carries;
    }

    /**
     * A library's own housekeeping on a plain executor of its own (a connection pool's housekeeper and pool filler, a
     * scheduler's dispose awaiter, a server endpoint's idle check) that the shutdown interrupted, threw away, found
     * still running, not in the user's code, at the halt, or that was rejected because its executor had been shut
     * down during the shutdown (Jetty's endpoint scheduling its idle check on the scheduler Jetty's own stop had just
     * shut down): the library's business, stopped with it, never the application's lost work, so it is not listed. A
     * server's or framework's pool (an adapter's) runs the user's requests and jobs: its tasks are judged as they
     * are. Housekeeping that completed or failed is listed.
     */
    boolean isHousekeepingCutByTheShutdown(CapturedTask record) {
        CapturedTask.Outcome outcome = record.outcome();
        boolean rejectedByTheShutdown = outcome == CapturedTask.Outcome.REJECTED && record.duringShutdown();
        if (outcome != CapturedTask.Outcome.RUNNING && outcome != CapturedTask.Outcome.INTERRUPTED
                && outcome != CapturedTask.Outcome.DISCARDED && !rejectedByTheShutdown) {
            return false;
        }
        Thread ranOn = thread;
        boolean inTheUsersCode = outcome == CapturedTask.Outcome.RUNNING && ranOn != null && StackFrames.runsUsersCode(ranOn)
                || outcome == CapturedTask.Outcome.INTERRUPTED && interruptedInUsersCode;
        return !inTheUsersCode && !inLibraryPool() && libraryHousekeeping();
    }

    /**
     * A task that never started was not lost if its owner cancelled it because it no longer needed it (a timeout's
     * timer once the awaited work finished), or if it is a library's own scheduled housekeeping, dropped when the
     * library shut its executor down (what a connection pool does when it closes). Cancelled by {@code shutdownNow()}
     * or by a scheduled executor's shutdown policy, or still queued at the halt, it is lost: the user's delayed task
     * too when a library's close threw it away (Spring's {@code SimpleAsyncTaskScheduler} and
     * {@code ThreadPoolTaskScheduler} cancel what {@code shutdownNow()} hands back).
     */
    private boolean deliberatelyCancelled(State now) {
        boolean cancelledByOwner = now == State.CANCELLED && !drainedByShutdownNow && cancelledByItsPool == null;
        return libraryHousekeeping() || cancelledByOwner;
    }

    /** Thrown away as its executor stopped: {@code shutdown()} of a scheduled executor whose policy cancels delayed tasks, a timer's stop. */
    private boolean cancelledByPolicy(State now) {
        return now == State.CANCELLED && cancelledByItsPool != null && !drainedByShutdownNow && !periodic;
    }

    /** The task's short name for messages, e.g. {@code task#1}. */
    public String id() {
        return id;
    }

    /** The id of the executor it was submitted to, e.g. {@code ThreadPoolExecutor#1}. */
    public String executorId() {
        return executorId;
    }

    CapturedTask snapshot() {
        if (!periodic && delayed && librarysWork != null && LibraryTasks.reschedulesItself(librarysWork)) {
            periodic = true; // a cron or trigger task: looked for when judged, not on the submission path
        }
        State now = state;
        if (now == State.QUEUED && timerThread != null) {
            now = onItsTimer();
        }
        if (now == State.QUEUED && inLibraryPool() && task instanceof java.util.concurrent.Future
                && ((java.util.concurrent.Future<?>) task).isCancelled()) {
            now = cancelledByItsPoolsShutdown();
        }
        Throwable failed = failure;
        boolean duringShutdown = endedDuringShutdown;
        if (now == State.QUEUED && drainedByShutdownNow && ranAfterItWasHandedBack()) {
            now = futureFailure == null ? State.COMPLETED : State.FAILED; // the application ran what shutdownNow() returned
            failed = futureFailure;
            duringShutdown = drainedDuringShutdown;
        }
        if (now == State.RUNNING && threwOutOfItsWorker) {
            now = State.FAILED;
            failed = futureFailure != null ? futureFailure : new UnseenFailure();
        }
        if (now == State.RUNNING && finishedItsOwnWork()) {
            if (inLibraryPool() && PoolAdapter.anyBackToWait(task)) {
                now = State.QUEUED; // caught handing itself over to wait for its time (Netty's schedule from outside the loop)
            } else {
                failed = futureFailure();
                now = failed == null ? State.COMPLETED : State.FAILED;
            }
        }
        if (now == State.QUEUED && handledBy != null && !inItsPoolsQueue()) {
            now = State.DISCARDED;
            discardedBy = handledBy;
        }
        String thrownAwayBy = discardedBy;
        String swallowedAt = null;
        if (now == State.COMPLETED && caughtFailure != null && (usersCodeFailedInIt || !libraryHousekeeping())) { // it caught a failure during the shutdown and returned
            now = State.FAILED;
            failed = caughtFailure;
            swallowedAt = caughtAt;
        }
        if (now != State.DISCARDED && !deliberatelyCancelled(now) && cancelledByPolicy(now)) {
            now = State.DISCARDED;
            thrownAwayBy = cancelledByItsPool;
        }
        CapturedTask.Outcome outcome;
        if (now == State.DISCARDED) {
            outcome = CapturedTask.Outcome.DISCARDED;
        } else if (interruptSite != null && now != State.QUEUED) {
            outcome = CapturedTask.Outcome.INTERRUPTED;
        } else {
            switch (now) {
                case RUNNING: outcome = CapturedTask.Outcome.RUNNING; break;
                case COMPLETED: outcome = CapturedTask.Outcome.COMPLETED; break;
                case FAILED: outcome = CapturedTask.Outcome.FAILED; break;
                case REJECTED: outcome = CapturedTask.Outcome.REJECTED; break;
                default:
                    outcome = deliberatelyCancelled(now) ? CapturedTask.Outcome.CANCELLED : CapturedTask.Outcome.NEVER_STARTED;
            }
        }
        Thread ranOn = thread;
        return new CapturedTask(id, named() + inUsersCodeNow(outcome, ranOn), executorId, site, outcome, ranOn == null ? null : ranOn.getName(), ranOn == null ? null : ranOn.getId(),
                failed, interruptSite, now == State.REJECTED ? rejectedBecauseShutDown : duringShutdown, periodic,
                thrownAwayBy, swallowedAt, scope.sinceOpened(submittedNanos), scope.sinceOpened(startedNanos),
                outcome == CapturedTask.Outcome.RUNNING || outcome == CapturedTask.Outcome.NEVER_STARTED
                        ? dev.gracefulshutdown.CapturedThread.NOT_SEEN : scope.sinceOpened(endedNanos));
    }

    /**
     * A task {@code shutdownNow()} handed back that the application then ran itself (in the hook, say), seen through
     * its future: a {@code FutureTask} done and not cancelled ran. (A {@code ScheduledFutureTask} run after its
     * executor stopped cancels itself instead; a plain {@code Runnable} run by hand cannot be seen.)
     */
    private boolean ranAfterItWasHandedBack() {
        if (!(task instanceof java.util.concurrent.FutureTask)) {
            return false;
        }
        java.util.concurrent.Future<?> future = (java.util.concurrent.Future<?>) task;
        return future.isDone() && !future.isCancelled();
    }

    /**
     * A timer's task reports nothing as it runs: what became of it is read from the task and its timer. A task that
     * fired ran on the timer's thread; one still scheduled on a timer that takes no more tasks was thrown away.
     */
    private State onItsTimer() {
        TimerTasks.Reading reading = TimerTasks.read(task, timerThread);
        periodic = reading.periodic();
        switch (reading.seen()) {
            case RUNNING:
                thread = timerThread;
                return State.RUNNING;
            case RAN:
                thread = timerThread;
                return State.COMPLETED;
            case CANCELLED:
                return State.CANCELLED;
            case THROWN_AWAY:
                discardedBy = TIMER_CANCELLED;
                return periodic ? State.CANCELLED : State.DISCARDED;
            default:
                return State.QUEUED;
        }
    }

    /**
     * A server's or framework's scheduled task cancelled while it waited for its time: its pool's shutdown throws away
     * what still waits (Netty's {@code shutdownGracefully()} cancels every scheduled task); otherwise its owner did.
     */
    private State cancelledByItsPoolsShutdown() {
        if (periodic || executor.shutdown == dev.gracefulshutdown.CapturedExecutor.ShutdownState.RUNNING
                || libraryHousekeeping()) {
            return State.CANCELLED; // its owner's cancel, or the library's own timer dropped with its loop (an idle check)
        }
        discardedBy = "the shutdown of " + executorId + " (" + PoolAdapter.libraryOf(executor.executor)
                + " cancels the tasks still waiting for their time when it shuts down)";
        return State.DISCARDED;
    }

    /** Whether the task waits in the queue of the pool it was submitted to (as far as that can be seen). */
    private boolean inItsPoolsQueue() {
        Object pool = executor == null ? null : executor.executor;
        return pool instanceof java.util.concurrent.ThreadPoolExecutor
                && ((java.util.concurrent.ThreadPoolExecutor) pool).getQueue().contains(task);
    }
}
