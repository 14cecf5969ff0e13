package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;

/**
 * Makes an inventory safe to send to another JVM: an application's exception may hold anything, so each
 * failure travels as a {@link Failure} with the original's text and stack.
 */
final class Portable {

    private Portable() {
    }

    static Inventory of(Inventory inventory) {
        return new Inventory(inventory.threads().stream().map(t -> new CapturedThread(t.name(), t.id(), t.daemon(),
                        t.virtual(), t.role(), t.executor(), t.createdBy(), t.creationSite(), t.state(), t.stack(),
                        t.callingExit(), t.activity(), t.interruptSite(), Failure.of(t.caughtFailure()), t.caughtAt(),
                        Failure.of(t.diedWith()), t.diedDuringShutdown(), t.startedAtNanos(), t.endedAtNanos())).toList(),
                inventory.executors(),
                inventory.tasks().stream().map(t -> new CapturedTask(t.id(), t.description(), t.executor(),
                        t.submissionSite(), t.outcome(), t.thread(), t.threadId(), Failure.of(t.failure()), t.interruptSite(),
                        t.duringShutdown(), t.periodic(), t.discardedBy(), t.caughtAt(), t.submittedAtNanos(),
                        t.startedAtNanos(), t.endedAtNanos())).toList(),
                inventory.hooks().stream().map(h -> new CapturedHook(h.name(), h.threadId(), h.registrationSite(), h.outcome(),
                        h.duration(), Failure.of(h.failure()), h.startedAtNanos(), h.endedAtNanos())).toList());
    }

    /** An exception of the child JVM, as text and stack. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String original;

        private Failure(String original, String message, StackTraceElement[] stack) {
            super(message);
            this.original = original;
            setStackTrace(stack);
        }

        static Throwable of(Throwable failure) {
            return failure == null || failure instanceof Failure ? failure
                    : new Failure(failure.toString(), failure.getMessage(), failure.getStackTrace());
        }

        /** A failure as a recording holds it: the original's text, message and stack. */
        static Failure restored(String original, String message, StackTraceElement[] stack) {
            return new Failure(original, message, stack);
        }

        @Override
        public String toString() {
            return original;
        }
    }
}
