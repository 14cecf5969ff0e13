package dev.gracefulshutdown.internal.capture;

/**
 * Stands for the exception a pool's task threw when the JVM halted before it reached the kit: its worker was still
 * doing the pool's bookkeeping on the way out ({@link LiveTask#threwOutOfItsWorker}).
 */
final class UnseenFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnseenFailure() {
        super(null, null, false, false);
    }

    @Override
    public String toString() {
        return "an exception the kit did not see (the JVM halted while its worker was leaving the task)";
    }
}
