package dev.gracefulshutdown.internal.capture;

import static dev.gracefulshutdown.internal.capture.Capture.*;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * What happens to executors and their tasks: created, submitted (and from where), rejected or silently discarded,
 * started, ended, failed, cancelled, shut down, drained.
 */
final class TaskEvents {

    /** The {@code shutdownNow()} running on this thread, if any: its interrupts stop running tasks. */
    static final ThreadLocal<Object> IN_SHUTDOWN_NOW = new ThreadLocal<>();
    private static final String STPE = "java.util.concurrent.ScheduledThreadPoolExecutor";
    /** Work given to {@code CompletableFuture.delayedExecutor}: its JDK 17 delayer, or JDK 25's ForkJoinPool scheduling. */
    private static final String CF_DELAYER = "java.util.concurrent.CompletableFuture$DelayedExecutor";
    private static final String FJ_SCHEDULED = "java.util.concurrent.DelayScheduler$ScheduledForkJoinTask";
    private static final String CF_TASK_SUBMITTER = "java.util.concurrent.CompletableFuture$TaskSubmitter";
    /** The oldest queued task when a DiscardOldestPolicy is about to throw it away. */
    private static final ThreadLocal<Object> OLDEST_QUEUED = new ThreadLocal<>();

    private TaskEvents() {
    }

    /** CompletableFuture's delayer hands a due task on: the work still belongs to whoever scheduled it. */
    static boolean handsOnDelayedTask(CallSites.Captured site) {
        return site.origin() == CallSites.Origin.TOOL && site.site().frames().isEmpty()
                && RUNNING.get(Thread.currentThread()) != null && site.passesThrough(CF_TASK_SUBMITTER);
    }


    static void executorCreated(Object executor) {
        if (idle() || EXECUTORS.containsKey(new Identity(executor))) {
            return;
        }
        Scope scope = currentScope();
        if (scope == null) {
            return;
        }
        CallSites.Captured site = CallSites.capture();
        if (site.origin() != CallSites.Origin.APPLICATION) {
            return;
        }
        LiveExecutor live = new LiveExecutor(executor, scope, scope.nextExecutorId(executor), site.site());
        if (EXECUTORS.putIfAbsent(new Identity(executor), live) == null) {
            scope.executors.add(live);
        }
    }

    /** Always balanced, even while no scope is open: another test may open or close one in between. */
    static void creatingWorkers(Object executor, boolean enter) {
        ArrayDeque<Object> stack = CREATING_WORKERS_FOR.get();
        if (enter) {
            stack.push(executor);
        } else if (!stack.isEmpty()) {
            stack.pop();
        }
    }

    static void taskSubmitted(Object executor, Object task) {
        if (idle() || task == null) {
            return;
        }
        if (!tracked(executor, task)) {
            SharedThreads.handedOver(task); // no test's: a thread of an earlier test may yet run it for the one open now
        }
    }

    /** Records the task in the scope it belongs to; returns whether it belongs to one (as a task the kit judges). */
    private static boolean tracked(Object executor, Object task) {
        Scope scope = currentScope();
        if (scope == null) {
            scope = SharedThreads.handingWorkTo(executor);
        }
        if (scope == null) {
            scope = tellingsScope(); // a stage of an exchange, on a thread of nobody's (the common pool), submits work
        }
        if (scope == null || scope.phase() == Scope.Phase.HALTED) {
            return false;
        }
        LiveTask known = TASKS.get(new Identity(task));
        if (known != null && known.scope == scope && (known.state == LiveTask.State.QUEUED || known.state == LiveTask.State.REJECTED)) {
            known.state = LiveTask.State.QUEUED; // the same submission seen twice, or submitted again by DiscardOldestPolicy
            known.endedNanos = 0;
            return true;
        }
        CallSites.Captured site = CallSites.capture();
        CallSite submittedAt = site.site();
        LiveTask handingOn = RUNNING.get(Thread.currentThread());
        if (handingOn != null && handsOnDelayedTask(site)) {
            submittedAt = handingOn.site; // CompletableFuture's delayer hands a delayed task on when it is due
        } else if (site.passesThrough("java.lang.VirtualThread")) {
            return false; // a virtual thread's continuation
        } else if (site.byJdkMachinery() || site.origin() != CallSites.Origin.APPLICATION && !NOTIFYING.get().isEmpty()
                && executor instanceof ForkJoinPool && !EXECUTORS.containsKey(new Identity(executor))) {
            // (or a stage the application chained with thenAcceptAsync on an exchange's future, handed to the common pool
            // by the step that completes it)
            if (executor instanceof ForkJoinPool && site.jdkFrames().stream()
                    .anyMatch(frame -> frame.getClassName().startsWith("java.util.concurrent.CompletableFuture"))) {
                // a CompletableFuture's async step of the JDK's HttpClient on the common pool (its end forgets it)
                Object[] joins = CompletionSteps.futuresOf(task);
                LiveTask exchange = exchangeBeingCompleted(scope, site, joins);
                boolean sending = exchange == null && whileSending(site); // its exchange is known once the send returns
                if (exchange != null || sending) { // the step that completes an exchange's future runs the stages chained on it
                    ExchangeStep step = new ExchangeStep(scope, exchange, joins);
                    EXCHANGE_STEPS.put(new Identity(task), step);
                    if (sending) {
                        STEPS_WHILE_SENDING.get().add(step);
                    }
                }
            }
            return false; // the JDK's own work on the application's call (its HttpClient's exchange steps): not the application's task
        } else if (site.origin() != CallSites.Origin.APPLICATION) {
            LiveThread submitter = THREADS.get(Thread.currentThread());
            if (submitter == null || submitter.scope != scope || !EXECUTORS.containsKey(new Identity(executor))) {
                return false; // a tool's task
            }
            // the JDK's own code, on a thread the application started, hands work to the application's pool (the
            // JDK's HTTP server dispatching a request): the application's work, submitted where that thread began
            submittedAt = submitter.site;
        }
        LiveExecutor live = EXECUTORS.get(new Identity(executor));
        boolean delayedExecutor = site.passesThrough(CF_DELAYER);
        if (task.getClass().getName().equals(FJ_SCHEDULED) && !delayedExecutor && !submittedDirectly(site) && live == null) {
            return false; // JDK 25+: the JDK's own timers in the common pool (orTimeout, completeOnTimeout)
        }
        if (live == null && executor != ForkJoinPool.commonPool() && !submittedDirectly(site) && !delayedExecutor
                && submittedAt == site.site()) {
            return false; // JDK machinery using its own executor (the process reaper)
        }
        Thread timerThread = executor instanceof java.util.Timer ? TimerTasks.threadOf(executor) : null;
        if (executor instanceof java.util.Timer && timerThread == null) {
            return false; // its tasks cannot be read in this JVM: only the timer's thread is judged
        }
        String executorId = delayedExecutor ? "CompletableFuture.delayedExecutor(...)"
                : live != null ? live.id
                : timerThread != null ? "java.util.Timer \"" + timerThread.getName() + "\""
                : executor == ForkJoinPool.commonPool() ? "ForkJoinPool.commonPool()"
                : Scope.kindOf(executor) + "@" + Integer.toHexString(System.identityHashCode(executor))
                        + " (created outside this test)";
        Boolean scheduledByItsPool = live != null && PoolAdapter.libraryOf(executor) != null ? PoolAdapter.periodicTask(task) : null;
        boolean delayed = (task instanceof RunnableScheduledFuture || scheduledByItsPool != null)
                && task instanceof java.util.concurrent.Delayed
                && ((java.util.concurrent.Delayed) task).getDelay(java.util.concurrent.TimeUnit.NANOSECONDS) > 0;
        boolean periodic = task instanceof RunnableScheduledFuture && ((RunnableScheduledFuture<?>) task).isPeriodic()
                || Boolean.TRUE.equals(scheduledByItsPool) || delayed && schedulesItselfAgain(handingOn, task);
        submittedAt = outsideOf(executor, submittedAt);
        LiveTask record = new LiveTask(task, scope, scope.nextTaskId(),
                delayedExecutor ? "delayed task of CompletableFuture.delayedExecutor" : TaskDescriptions.describe(task), executorId,
                submittedAt, periodic, delayed, live);
        record.timerThread = timerThread;
        record.timer = timerThread == null ? null : (java.util.Timer) executor;
        TASKS.put(new Identity(task), record);
        scope.tasks.add(record);
        scope.point(Scope.PointKind.TASK_SUBMITTED, record.id, record.description, record.site);
        return true;
    }

    /**
     * Whether a task's run schedules, with a delay, the very object it runs once more ({@code pool.schedule(this, 5,
     * SECONDS)}: a poller's loop, one run at a time): a repeating task, whose next run waiting at the halt is no more
     * lost work than a {@code scheduleWithFixedDelay} task's. A new object of the same kind (a retry's lambda) is
     * another piece of work.
     */
    private static boolean schedulesItselfAgain(LiveTask running, Object task) {
        return running != null && JdkWrappers.workOf(running.task) == JdkWrappers.workOf(task);
    }

    /**
     * A task scheduled on an event loop by code running on that loop (a handler's timeout, a Vert.x timer set in a
     * request handler) goes straight into the loop's queue of scheduled tasks: a submission like any other. A task
     * already known is one scheduled from another thread, putting itself into that queue when first handed over.
     */
    static void scheduledFromItsLoop(Object executor, Object task) {
        if (idle() || task == null || TASKS.containsKey(new Identity(task))) {
            return; // known already
        }
        if (!EXECUTORS.containsKey(new Identity(executor))) {
            SharedThreads.handedOver(task); // on a loop the test did not create (Netty's GlobalEventExecutor, an earlier test's)
            return;
        }
        taskSubmitted(executor, task);
    }

    /**
     * The application sent an HTTP request asynchronously, with the JDK's {@code HttpClient.sendAsync} or Apache
     * HttpClient 5's {@code CloseableHttpAsyncClient.execute}: the exchange is its work in flight until the returned
     * future completes, and what it chained on that future (or the callback it gave) runs only then. An exchange a
     * library sends on a thread of its own, with none of the user's code on the way (an exporter's push), is the
     * library's. With Jetty's client the exchange is in flight until its listener has been told it completed:
     * {@code endsIt} is the future the client returned, or that listener.
     */
    static void exchangeSent(Object client, Object request, Object endsIt) {
        List<Object> steps = STEPS_WHILE_SENDING.get();
        List<Object> answeredAlready = steps.isEmpty() ? List.of() : List.copyOf(steps); // this send's, whatever follows
        steps.clear();
        if (idle() || endsIt == null || TASKS.containsKey(new Identity(endsIt)) || HttpExchanges.opensAWebSocket(request)) {
            return;
        }
        Scope scope = currentScope();
        if (scope == null) {
            scope = tellingsScope(); // sent by what the application does with an earlier exchange's answer, on the client's loop
        }
        CallSites.Captured site = sentByTheApplication(scope);
        CallSite sentAt = site != null ? outsideOf(endsIt, outsideOf(client, site.site())) : chainedOnTheExchangeTold(scope);
        if (sentAt == null) {
            return;
        }
        if (!(endsIt instanceof java.util.concurrent.Future) && HttpExchanges.sentAndAwaited()) {
            return; // Jetty's blocking send(), Reactor's block(): the thread waiting for the response is in the application's code
        }
        LiveTask record = LiveTask.exchange(endsIt, scope, scope.nextTaskId(), HttpExchanges.describe(request),
                HttpExchanges.client(client), sentAt);
        TASKS.put(new Identity(endsIt), record);
        scope.tasks.add(record);
        scope.point(Scope.PointKind.TASK_SUBMITTED, record.id, record.description, record.site);
        for (Object step : answeredAlready) { // the answer came before the send returned: its steps complete this exchange
            if (step instanceof LiveThread stages) {
                if (!CompletionSteps.mayComplete(CompletionSteps.futuresOfThread(stages.thread), endsIt)) {
                    continue; // another future's step
                }
                stages.completesExchange = record;
                Throwable failedEarly = stages.caughtFailure; // a stage that failed before it was known to be the exchange's
                if (failedEarly != null && ThreadEvents.KEPT_BY_ITS_STAGE.equals(stages.caughtAt)) {
                    stages.caughtFailure = null;
                    stages.caughtAt = null;
                    told(record, new Failed(failedEarly, ThreadEvents.KEPT_BY_ITS_STAGE));
                }
            } else if (((ExchangeStep) step).mayComplete(endsIt)) {
                ((ExchangeStep) step).linkedTo(record);
            }
        }
    }

    /**
     * Where the exchange this thread is telling was sent, if the scope's: an exchange sent while the application is told
     * an earlier one's answer, with none of its code on the stack, is what it chained on that answer (a Reactor
     * {@code flatMap} subscribes the next request only after the user's function returned it).
     */
    private static CallSite chainedOnTheExchangeTold(Scope scope) {
        LiveTask told = scope == null || tellingsScope() != scope ? null
                : TASKS.get(new Identity(NOTIFYING.get().peek().listener())); // the scope's telling, still open
        return told != null && told.exchange ? told.site : null;
    }

    /**
     * Where the application sends an exchange from this thread, in an open scope not yet halted; {@code null} for a
     * tool's request, the JDK's own, or a library's own (none of the user's code on the way).
     */
    private static CallSites.Captured sentByTheApplication(Scope scope) {
        if (scope == null || scope.phase() == Scope.Phase.HALTED) {
            return null;
        }
        CallSites.Captured site = CallSites.capture();
        return site.origin() != CallSites.Origin.APPLICATION
                || site.site().frames().stream().noneMatch(StackFrames::isUserFrame) ? null : site;
    }

    /**
     * An attempt of a Reactor Netty exchange (Spring's {@code WebClient}) began (its first, a retry, a redirect): the
     * exchange is in flight (again, after a redirected response or a failure the client retries). What cancels it is
     * the attempt's sink ({@code Mono.create}'s, cancelled when the application gives the exchange up), known from here
     * as the exchange's.
     */
    static void exchangeAttempt(Object handler, Object sink) {
        LiveTask record = idle() || sink == null ? null : TASKS.get(new Identity(handler));
        if (record != null && record.exchange) {
            TASKS.putIfAbsent(new Identity(sink), record);
            exchangeOver(record, false);
        }
    }

    /**
     * The connection of an attempt of a Reactor Netty exchange changed state: the exchange is in flight until its
     * response completed or its connection was closed or released (as it is when the application cancels it: Reactor
     * Netty then disposes the connection). Only a new attempt puts it in flight again: the connection an attempt
     * cancelled before it had one gets later (and closes at once) is not the exchange going on. The
     * connection's operations for this request, once configured, are known as the exchange's: they tell the application
     * the response's end ({@code onInboundComplete}), which is when the exchange completed. Once the response's head
     * came, the attempt's sink has done its work (Reactor cancels it then as a matter of course: {@code Mono.next()}),
     * and the body is the operations' to tell.
     */
    static void exchangeConnection(Object handler, Object state, Object connection, Object sink) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(handler));
        if (record == null) {
            return;
        }
        String stands = String.valueOf(state);
        if (stands.contains("configured") && connection != null) {
            TASKS.putIfAbsent(new Identity(connection), record);
        } else if (stands.contains("response_received") && sink != null) {
            TASKS.remove(new Identity(sink), record); // the sink has its value; cancelling it now gives nothing up
        }
        if (stands.contains("response_completed") || stands.contains("disconnecting") || stands.contains("released")) {
            exchangeOver(record, true);
        }
    }

    /**
     * A Reactor Netty exchange is over before its connection said so: the application cancelled it (by its attempt's
     * sink: a {@code timeout}, a {@code zip} that failed fast, a {@code dispose()}, perhaps before it had a connection),
     * or its client gave up and hands the failure to the application (a connection refused: {@code handler}). What the
     * application cancels while it is told the response (Reactor cancels upstream when a subscriber throws) is not
     * giving it up: the telling ends the exchange.
     */
    static void exchangeGivenUp(Object handlerOrSink) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(handlerOrSink));
        if (record != null && record.toldOn != Thread.currentThread()) { // not the application cancelling what it is told
            exchangeOver(record, true);
        }
    }

    private static void exchangeOver(LiveTask record, boolean over) {
        if (record == null || !record.exchange || record.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        if (over && !record.exchangeDone) {
            told(record, null);
            record.exchangeDone = true;
        } else if (!over && record.exchangeDone) {
            record.exchangeDone = false; // a new attempt (retried, redirected): in flight again
        }
    }

    /**
     * The JDK HttpClient's steps that complete an exchange's future, started while the application's thread was still
     * sending it (a quick answer): a thread of their own, or a task's identity, linked to the exchange when the send
     * returns.
     */
    private static final ThreadLocal<List<Object>> STEPS_WHILE_SENDING = ThreadLocal.withInitial(java.util.ArrayList::new);

    /** Whether the call passes through the JDK HttpClient's sending of an exchange. */
    private static boolean whileSending(CallSites.Captured site) {
        return site.jdkFrames().stream().anyMatch(frame -> frame.getClassName().equals("jdk.internal.net.http.HttpClientImpl")
                && frame.getMethodName().equals("sendAsync"));
    }

    /** A thread the JDK starts for a step of its HttpClient, with the application's code below it. */
    static void stepStarted(LiveThread stages, CallSites.Captured site) {
        if (whileSending(site)) {
            STEPS_WHILE_SENDING.get().add(stages);
        }
    }

    /**
     * What a Jetty response listener threw on each thread, or what the application's code it ran (a stage chained on
     * a {@code CompletableResponseListener}'s future) threw and a library kept: the exchange whose completion the
     * thread tells next (at once, in the same call, or right after its success or failure) failed with it.
     */
    private static final ThreadLocal<Failed> LISTENER_FAILED = new ThreadLocal<>();

    /** The application's code failed with {@code failure}, which a library kept, at {@code where} (in words). */
    record Failed(Throwable failure, String where) {
    }

    /** What the thread's listeners of an exchange threw since it began telling it, taken. */
    private static Failed takeListenerFailed() {
        Failed failed = LISTENER_FAILED.get();
        if (failed != null) {
            LISTENER_FAILED.remove();
        }
        return failed;
    }
    /**
     * What each thread is telling that an exchange completed: the exchange's listener or future (whose exchange may be
     * recorded only once the call that sent it returns: a quick answer can come first), or the exchange itself.
     */
    private static final ThreadLocal<ArrayDeque<Telling>> NOTIFYING = ThreadLocal.withInitial(ArrayDeque::new);

    /** An exchange's listener or future being told that it completed, in a test's scope. */
    private record Telling(Object listener, Scope scope) {
    }

    /** The test whose exchange the current thread is telling it completed, if it is still open. */
    private static Scope tellingsScope() {
        Telling telling = NOTIFYING.get().peek();
        Scope.Phase phase = telling == null ? null : telling.scope().phase();
        return phase == null || phase == Scope.Phase.HALTED || phase == Scope.Phase.CLOSED ? null : telling.scope();
    }

    /** An exchange's listener or callback is about to be told that it completed. */
    static void exchangeNotifying(Object listener) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(listener));
        // a known exchange's telling is its test's, whichever thread tells it (a library's loop shared by the tests)
        Scope scope = record != null && record.exchange ? record.scope : idle() ? null : currentScope();
        if (scope != null) {
            NOTIFYING.get().push(new Telling(listener, scope));
            if (record != null && record.exchange) {
                record.toldOn = Thread.currentThread();
            }
        }
    }

    /** The telling of {@code listener} ended (the innermost one the thread is in, if it was recorded). */
    private static void notified(Object listener) {
        ArrayDeque<Telling> telling = NOTIFYING.get();
        if (!telling.isEmpty() && telling.peek().listener() == listener) {
            telling.pop();
        }
    }

    /** A Jetty response listener threw {@code failure}, which Jetty caught ({@code where}, in words) and logged. */
    static void exchangeListenerFailed(Throwable failure, String where) {
        LISTENER_FAILED.set(new Failed(failure, where));
    }

    /**
     * The application's code failed, and a library kept the failure ({@code where}, in words): if the thread is
     * telling an exchange's listener that it completed, that is the exchange's failure, and {@code true}.
     */
    static boolean failedInAnExchangesListener(Throwable failure, String where) {
        ArrayDeque<Telling> telling = NOTIFYING.get();
        if (telling.isEmpty()) {
            return false;
        }
        if (tellingsScope() == null) {
            telling.clear(); // left by a test whose capture ended while it was telling
            return false;
        }
        exchangeListenerFailed(failure, where);
        return true;
    }

    /**
     * An exchange's listener or callback was told it completed, with its response or its failure (Jetty's listener,
     * AsyncHttpClient's handler, Apache's callback, which threw {@code escaped} out of {@code tellingClass}'s call if
     * not {@code null}). A listener of the exchange that threw during the shutdown failed the exchange: its work ended
     * as if it had succeeded. One of an exchange the kit does not track is the work of whatever the thread runs.
     */
    static void exchangeDone(Object listener, Throwable escaped, String tellingClass) {
        notified(listener);
        Failed listenerFailed = takeListenerFailed();
        LiveTask record = idle() ? null : TASKS.get(new Identity(listener));
        if (record != null && record.toldOn == Thread.currentThread()) {
            record.toldOn = null;
        }
        String goesTo = escaped == null || record == null ? null : HttpExchanges.whereAnEscapedCallbackFailureGoes(tellingClass);
        if (goesTo != null && SwallowedFailures.thrownByUsersCode(escaped, tellingClass)) {
            listenerFailed = new Failed(escaped, goesTo); // out of the callback, into the library that swallows it
        }
        if (record != null && record.exchange && !record.exchangeDone) {
            told(record, listenerFailed);
            record.exchangeDone = true;
        } else if (listenerFailed != null) {
            ThreadEvents.swallowed(listenerFailed.failure(), listenerFailed.where());
        }
    }

    /** The exchange's listeners or stages were told it completed: when, and what of theirs failed, if anything did. */
    static void told(LiveTask exchange, Failed listenerFailed) {
        if (exchange.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        if (!exchange.exchangeDone) {
            exchange.endedDuringShutdown = exchange.scope.isShuttingDownOrLater();
            exchange.endedNanos = System.nanoTime();
        }
        if (listenerFailed != null && exchange.scope.phase() == Scope.Phase.SHUTTING_DOWN) {
            exchange.endedDuringShutdown = true;
            exchange.caughtFailure = listenerFailed.failure();
            exchange.caughtAt = listenerFailed.where();
        }
    }

    /**
     * The JDK HttpClient's exchange whose future a thread the client starts through {@code CompletableFuture} will
     * complete: the client completes the future it returned on the JDK's async pool, a thread per step when the common
     * pool has fewer than two threads. Known by the futures the step joins ({@code joins}, when the JDK's step can be
     * read: {@link CompletionSteps}): the exchange's future it completes, or follows (an async stage chained on it);
     * else when exactly one of the scope's exchanges on the JDK's client is still in flight; else {@code null}, and the
     * stages are the thread's own work.
     */
    static LiveTask exchangeBeingCompleted(Scope scope, CallSites.Captured site, Object[] joins) {
        for (Object future : joins) {
            LiveTask record = future == null ? null : TASKS.get(new Identity(future));
            if (record != null && record.exchange && record.scope == scope) {
                return record;
            }
        }
        if (joins.length > 0 && whileSending(site)) {
            return null; // the exchange being sent, recorded when its send returns: not another one in flight
        }
        if (site.jdkFrames().stream().noneMatch(frame -> frame.getClassName().startsWith("jdk.internal.net.http."))) {
            return null;
        }
        LiveTask inFlight = null;
        for (LiveTask task : scope.tasks) {
            if (task.exchange && task.task instanceof java.util.concurrent.CompletableFuture<?> future && !future.isDone()) {
                if (inFlight != null) {
                    return null; // which of them, the thread does not say
                }
                inFlight = task;
            }
        }
        return inFlight;
    }

    /** The submission site without the executor's own frames (a library pool's {@code execute} calling itself). */
    private static CallSite outsideOf(Object executor, CallSite site) {
        java.util.Set<String> own = new java.util.HashSet<>();
        for (Class<?> type = executor.getClass(); type != null; type = type.getSuperclass()) {
            own.add(type.getName());
        }
        int first = 0;
        while (first < site.frames().size() - 1 && ownOrNested(own, site.frames().get(first).getClassName())) {
            first++;
        }
        return first == 0 ? site : new CallSite(site.frames().subList(first, site.frames().size()));
    }

    /** An executor's class, or one nested in it (the wrapper JBoss Threads' pool creates for each task). */
    private static boolean ownOrNested(java.util.Set<String> own, String type) {
        int nested = type.indexOf('$');
        return own.contains(type) || nested > 0 && own.contains(type.substring(0, nested));
    }

    /** Whether the application itself called the executor, with no other JDK code in between. */
    private static boolean submittedDirectly(CallSites.Captured site) {
        return site.jdkFrames().stream().map(StackTraceElement::getClassName).allMatch(type ->
                type.startsWith("java.util.concurrent.ThreadPoolExecutor")
                        || type.startsWith("java.util.concurrent.ScheduledThreadPoolExecutor")
                        || type.startsWith("java.util.concurrent.ForkJoinPool")
                        || type.startsWith("java.util.concurrent.AbstractExecutorService")
                        || type.startsWith("java.util.concurrent.Executors$")
                        || type.equals("java.util.Timer"));
    }

    static void taskRejected(Object executor, Object task) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(task));
        if (record == null) {
            return;
        }
        record.state = LiveTask.State.REJECTED;
        record.endedNanos = System.nanoTime();
        record.rejectedBecauseShutDown = executor instanceof ExecutorService && ((ExecutorService) executor).isShutdown()
                || executor instanceof java.util.Timer; // the advice reports only "Timer already cancelled."
        if (executor instanceof ThreadPoolExecutor && !((ThreadPoolExecutor) executor).isShutdown()
                && ((ThreadPoolExecutor) executor).getRejectedExecutionHandler() instanceof ThreadPoolExecutor.DiscardOldestPolicy) {
            OLDEST_QUEUED.set(((ThreadPoolExecutor) executor).getQueue().peek());
        }
    }

    /**
     * The executor's rejection handler returned without throwing: it ran the task on the caller, queued it again,
     * or threw it away without telling anyone (and a {@code DiscardOldestPolicy} threw away the oldest queued task).
     */
    static void rejectionHandled(Object executor, Object task) {
        Object oldest = OLDEST_QUEUED.get();
        OLDEST_QUEUED.remove();
        if (idle() || !(executor instanceof ThreadPoolExecutor)) {
            return;
        }
        ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
        String handler = handlerName(pool.getRejectedExecutionHandler());
        LiveTask discardedOldest = oldest == null ? null : TASKS.get(new Identity(oldest));
        if (discardedOldest != null && discardedOldest.state == LiveTask.State.QUEUED && !pool.getQueue().contains(oldest)) {
            discard(discardedOldest, handler + " (to make room for a newer task)");
        }
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null || record.state != LiveTask.State.REJECTED) {
            return; // submitted again (DiscardOldestPolicy) and tracked from there
        }
        boolean ranOnCaller = pool.getRejectedExecutionHandler() instanceof ThreadPoolExecutor.CallerRunsPolicy && !pool.isShutdown()
                || task instanceof java.util.concurrent.Future && ((java.util.concurrent.Future<?>) task).isDone()
                        && !((java.util.concurrent.Future<?>) task).isCancelled();
        if (ranOnCaller) {
            record.thread = Thread.currentThread();
            record.startedNanos = record.endedNanos; // it ran on the caller, from its rejection on
            finish(record, record.futureFailure);
        } else if (record.scope.phase() != Scope.Phase.HALTED) {
            // put back into the queue (a blocking policy), or thrown away: a worker may already have taken it from the
            // queue, so what it was is decided when the inventory is taken (LiveTask.handledBy); one may even have
            // started or finished it by now, so only a task still rejected goes back to QUEUED
            record.handledBy = pool.getQueue().contains(task) ? null : handler;
            if (LiveTask.STATE.compareAndSet(record, LiveTask.State.REJECTED, LiveTask.State.QUEUED)) {
                record.endedNanos = 0;
            } else {
                record.handledBy = null;
            }
        }
    }

    private static void discard(LiveTask record, String by) {
        if (record.scope.phase() != Scope.Phase.HALTED) {
            record.discardedBy = by;
            record.state = LiveTask.State.DISCARDED;
            record.endedNanos = System.nanoTime();
        }
    }

    private static String handlerName(Object handler) {
        Class<?> type = handler.getClass();
        String name = type.getEnclosingClass() != null && type.getName().startsWith("java.")
                ? type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName() : type.getName();
        if (handler instanceof ThreadPoolExecutor.CallerRunsPolicy) {
            return name + " after shutdown()";
        }
        return name;
    }

    static void workerCreated(Thread thread, Object firstTask) {
        if (!idle() && thread != null && TASKS.containsKey(new Identity(firstTask))) {
            FIRST_TASKS.put(thread, firstTask);
        }
    }

    static void workerRuns() {
        if (idle()) {
            return;
        }
        Object first = FIRST_TASKS.remove(Thread.currentThread());
        if (first != null) {
            taskStarts(first);
        }
    }

    static void taskStarts(Object task) {
        if (idle()) {
            return;
        }
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null) {
            SharedThreads.startsUntracked(task);
            return;
        }
        if (record.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        Thread thread = Thread.currentThread();
        if (record.librarysWork != null) {
            record.pinWhatItCarries(); // while it holds it: a library's future lets go of its work once done (Guava's)
        }
        record.thread = thread;
        record.state = LiveTask.State.RUNNING;
        record.startedNanos = System.nanoTime();
        RUNNING.put(thread, record);
        record.scope.point(Scope.PointKind.TASK_STARTED, record.id, record.description, record.site);
    }

    static void taskEnds(Throwable thrown) {
        if (idle()) {
            return;
        }
        Thread thread = Thread.currentThread();
        LiveThread worker = THREADS.get(thread);
        if (worker != null) {
            worker.idleSinceNanos = System.nanoTime();
        }
        LiveTask record = RUNNING.remove(thread);
        if (record != null) {
            finish(record, thrown != null ? thrown : record.futureFailure);
        } else {
            SharedThreads.endsUntracked();
        }
    }

    /**
     * The task the current worker ran threw: it failed now (its exception comes with {@code runWorker}'s exit, after
     * the pool's bookkeeping, which may already have let the shutdown end).
     */
    static void workerExitsAbruptly() {
        if (idle()) {
            return;
        }
        LiveTask record = RUNNING.get(Thread.currentThread());
        if (record == null || record.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        record.endedDuringShutdown = record.scope.isShuttingDownOrLater();
        record.endedNanos = System.nanoTime();
        record.threwOutOfItsWorker = true;
    }

    private static void finish(LiveTask record, Throwable failure) {
        if (record.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        // its work may have ended before the pool's bookkeeping did (its future completed, and a test that read it went on
        // to the shutdown): it ended when its work did
        record.endedDuringShutdown = record.ownWorkDone ? record.ownWorkDoneDuringShutdown : record.scope.isShuttingDownOrLater();
        if (!record.ownWorkDone || record.endedNanos == 0) {
            record.endedNanos = System.nanoTime(); // a CompletableFuture's own work ended when its future completed
        }
        record.failure = failure;
        record.state = failure == null ? LiveTask.State.COMPLETED : LiveTask.State.FAILED;
        record.scope.point(Scope.PointKind.TASK_FINISHED, record.id, record.description, record.site);
    }

    static boolean forkJoinTaskStarts(Object task) {
        if (idle()) {
            return false;
        }
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null) {
            ExchangeStep step = EXCHANGE_STEPS.isEmpty() ? null : EXCHANGE_STEPS.get(new Identity(task));
            if (step != null) { // its exchange may not be known yet: the stages' failure waits for it
                NOTIFYING.get().push(new Telling(step, step.scope));
                step.started();
            }
            return SharedThreads.startsUntracked(task) | step != null; // its end clears what it noted
        }
        if (record.scope.phase() == Scope.Phase.HALTED) {
            return false;
        }
        Thread thread = Thread.currentThread();
        record.thread = thread;
        record.state = LiveTask.State.RUNNING;
        record.startedNanos = System.nanoTime();
        record.outer = RUNNING.put(thread, record);
        record.scope.point(Scope.PointKind.TASK_STARTED, record.id, record.description, record.site);
        return true;
    }

    static void forkJoinTaskEnds(Object task) {
        ForkJoinTask<?> forkJoinTask = (ForkJoinTask<?>) task;
        workEnds(task, forkJoinTask.isCompletedAbnormally() ? forkJoinTask.getException() : null);
    }

    /** A task that ran inside another one's run (a fork-join task, a pool adapter's) ended, with what it threw. */
    static void workEnds(Object task, Throwable thrown) {
        LiveTask record = TASKS.get(new Identity(task));
        if (record == null) {
            ExchangeStep step = EXCHANGE_STEPS.isEmpty() ? null : EXCHANGE_STEPS.remove(new Identity(task));
            if (step != null) {
                notified(step);
                step.ended(takeListenerFailed());
            }
            SharedThreads.endsUntracked();
            return;
        }
        Thread thread = Thread.currentThread();
        if (record.outer != null) {
            RUNNING.put(thread, record.outer);
        } else {
            RUNNING.remove(thread, record);
        }
        if (thrown == null && record.inLibraryPool() && PoolAdapter.anyBackToWait(task)) {
            if (record.scope.phase() != Scope.Phase.HALTED) { // it only went (back) to wait for its time
                record.state = LiveTask.State.QUEUED;
                record.thread = null;
                record.startedNanos = 0;
            }
            return;
        }
        finish(record, thrown != null ? thrown : record.futureFailure);
    }

    /**
     * A future kept a failure: the task's own (a {@code FutureTask}, Netty's promise task, Guava's future task), or the
     * future inside the task the current thread runs (Guava's future task that a scheduled executor runs inside its
     * own {@code ScheduledFutureTask}).
     */
    static void futureFailed(Object future, Throwable failure) {
        if (idle()) {
            return;
        }
        LiveTask record = TASKS.get(new Identity(future));
        if (record == null) {
            LiveTask running = RUNNING.get(Thread.currentThread());
            record = running != null && running.task != future && JdkWrappers.workOf(running.task) == future ? running : null;
        }
        if (record == null && future.getClass().getName().equals(THREAD_BOUND_FUTURE)) {
            // a thread per task (a virtual-thread executor): the thread is the work, and its future kept the failure
            ThreadEvents.swallowed(failure, "its Future (a thread-per-task executor keeps what the task threw for get())");
            return;
        }
        if (record != null) {
            record.pinWhatItCarries(); // before its future lets go of the work (Guava's does once it is done)
            record.futureFailure = failure;
            ownWorkDone(record); // what follows is the future's completion and the pool's bookkeeping
        }
    }

    /** The future of each task of {@code Executors.newThreadPerTaskExecutor} and {@code newVirtualThreadPerTaskExecutor} (JDK 21+). */
    private static final String THREAD_BOUND_FUTURE = "java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture";

    /** The task's own work ended (its future completes now): anyone waiting for it may go on, to the shutdown too. */
    private static void ownWorkDone(LiveTask record) {
        record.ownWorkDoneDuringShutdown = record.scope.isShuttingDownOrLater();
        record.endedNanos = System.nanoTime();
        record.ownWorkDone = true;
    }

    /** A {@code CompletableFuture}'s async task ended: its own outcome is its future's. */
    static void asyncTaskDone(Object task, Object future) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(task));
        if (record == null || !(future instanceof java.util.concurrent.CompletableFuture)) {
            return;
        }
        java.util.concurrent.CompletableFuture<?> completion = (java.util.concurrent.CompletableFuture<?>) future;
        ownWorkDone(record); // what follows is the pool's bookkeeping (and Spring's afterExecute)
        Throwable failure = CompletionSteps.failureOf(completion);
        if (failure != null) {
            record.futureFailure = failure;
        }
    }

    static void futureCancelled(Object future) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(future));
        if (record != null && record.state == LiveTask.State.QUEUED) {
            record.state = LiveTask.State.CANCELLED;
            record.endedNanos = System.nanoTime();
            record.cancelledDuringShutdown = record.scope.isShuttingDownOrLater();
            record.cancelledByItsPool = cancelledAsItsPoolStopped(record);
        }
    }

    /**
     * The application took the work of a task its executor's stop had cancelled and handed back (a Netty timeout that
     * {@code stop()} returned, whose {@code task()} it runs itself): what becomes of that work is now the application's,
     * as with what {@code shutdownNow()} returns, and the kit cannot see it run. Not counted as thrown away.
     */
    static void takenBack(Object task) {
        LiveTask record = idle() ? null : TASKS.get(new Identity(task));
        if (record != null && record.state == LiveTask.State.CANCELLED && record.cancelledByItsPool != null) {
            record.cancelledByItsPool = null;
        }
    }

    /** What cancelled a task as its executor stopped (the cancel's callers say it), in words; {@code null}: its owner did. */
    private static String cancelledAsItsPoolStopped(LiveTask record) {
        return StackWalker.getInstance().walk(frames -> frames.map(f -> {
            if (f.getClassName().equals(STPE) && f.getMethodName().equals("onShutdown")) {
                return "shutdown() of " + record.executorId() + " (its executeExistingDelayedTasksAfterShutdownPolicy is false)";
            }
            if (f.getClassName().equals(NettyTimerAdapter.TIMER) && f.getMethodName().equals("stop")) {
                return "stop() of " + record.executorId() + " (it cancels the timeouts still waiting and hands them back)";
            }
            return null;
        }).filter(java.util.Objects::nonNull).findFirst().orElse(null));
    }

    static void executorShutdown(Object executor, boolean now) {
        if (idle()) {
            return;
        }
        if (now) {
            IN_SHUTDOWN_NOW.set(executor);
        }
        LiveExecutor live = EXECUTORS.get(new Identity(executor));
        if (live == null || live.scope.phase() == Scope.Phase.HALTED) {
            return;
        }
        if (now || live.shutdown == CapturedExecutor.ShutdownState.RUNNING) {
            live.shutdown = now ? CapturedExecutor.ShutdownState.SHUTDOWN_NOW : CapturedExecutor.ShutdownState.SHUTDOWN;
            live.shutdownSite = CallSites.capture().site();
            live.scope.point(Scope.PointKind.EXECUTOR_SHUT_DOWN, live.id, null, live.shutdownSite);
            for (LiveTask waiting : live.scope.tasks) {
                if (waiting.executor == live && waiting.state == LiveTask.State.QUEUED) {
                    waiting.pinWhatItCarries(); // before the shutdown cancels it, and its library lets go of the work (Netty's)
                }
            }
        }
    }

    static void executorShutdownNowDone(List<?> drained) {
        IN_SHUTDOWN_NOW.remove();
        if (idle() || drained == null) {
            return;
        }
        for (Object task : drained) {
            LiveTask record = TASKS.get(new Identity(task));
            if (record != null) {
                record.drainedDuringShutdown = record.scope.isShuttingDownOrLater();
                record.drainedByShutdownNow = true;
            }
        }
    }
}
