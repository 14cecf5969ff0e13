package dev.gracefulshutdown.internal.capture;

/**
 * One of the JDK HttpClient's own steps (a {@code CompletableFuture} fork-join task on the common pool) that completes
 * an exchange's future, running the stages the application chained on it. Its exchange is known when the step is
 * submitted, or only once the call that sent the exchange returns: a quick answer can be submitted, run and even
 * finished before {@code sendAsync} has returned. What the stages' failure was waits here until the two meet.
 */
final class ExchangeStep {

    final Scope scope;
    private LiveTask exchange;
    private Thread running;
    private boolean ended;
    private TaskEvents.Failed failed;

    /** The futures the step joins ({@link CompletionSteps#futuresOf}), empty when they cannot be read. */
    private final Object[] joins;

    ExchangeStep(Scope scope, LiveTask exchange, Object[] joins) {
        this.scope = scope;
        this.exchange = exchange;
        this.joins = joins;
    }

    /** Whether the step may complete the future a send returned (it joins it, or what it joins is not known). */
    boolean mayComplete(Object future) {
        return CompletionSteps.mayComplete(joins, future);
    }

    /** The step starts on the current thread: its exchange's stages run there. */
    synchronized void started() {
        running = Thread.currentThread();
        if (exchange != null) {
            exchange.toldOn = running;
        }
    }

    /** The call that sent the exchange returned: a step that ended already tells it now. */
    void linkedTo(LiveTask record) {
        TaskEvents.Failed endedWith;
        synchronized (this) {
            exchange = record;
            if (!ended) {
                if (running != null) {
                    record.toldOn = running;
                }
                return;
            }
            endedWith = failed;
        }
        TaskEvents.told(record, endedWith);
    }

    /** The step ended, the stages it ran having failed with {@code failure} ({@code null} if none did). */
    void ended(TaskEvents.Failed failure) {
        LiveTask linked;
        synchronized (this) {
            ended = true;
            failed = failure;
            linked = exchange;
            if (linked != null && linked.toldOn == running) {
                linked.toldOn = null;
            }
        }
        if (linked != null) {
            TaskEvents.told(linked, failure);
        }
    }
}
