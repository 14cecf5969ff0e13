package dev.gracefulshutdown.internal.judge;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a shutdown ended, all the judge needs to know of it besides the inventory: what started it, whether the JVM
 * halted (and with which status, and whether it was killed when the grace period ended) or would not exit, and how
 * long each phase took.
 */
public sealed interface ShutdownOutcome {

    /** What started the shutdown (the simulator's or the code's own, which may differ from the configured trigger). */
    ShutdownTrigger trigger();

    ShutdownReport.Timings timings();

    /**
     * The JVM reached its halt.
     *
     * @param exitStatus the process's exit status
     * @param killedAtGraceEnd whether a real process was killed ({@code SIGKILL}) because the grace period ended; a
     *     simulation only says that it would be
     */
    record Halted(ShutdownTrigger trigger, int exitStatus, boolean killedAtGraceEnd, ShutdownReport.Timings timings)
            implements ShutdownOutcome {

        /** A simulated halt: nothing was killed. */
        public Halted(ShutdownTrigger trigger, int exitStatus, ShutdownReport.Timings timings) {
            this(trigger, exitStatus, false, timings);
        }
    }

    /**
     * The JVM would not exit (within the exit timeout) after {@code main} returned.
     *
     * @param keepingAlive the id of each thread keeping it alive, with the reason; empty when they cannot be told
     */
    record KeptAlive(ShutdownTrigger trigger, Map<Long, String> keepingAlive, ShutdownReport.Timings timings)
            implements ShutdownOutcome {

        public KeptAlive {
            keepingAlive = Collections.unmodifiableMap(new LinkedHashMap<>(keepingAlive)); // in the order found
        }
    }
}
