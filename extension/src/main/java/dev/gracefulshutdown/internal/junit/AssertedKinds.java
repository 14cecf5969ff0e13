package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.Violation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The kinds of violation a test has asserted on each report, through {@code ShutdownAssertions}: at the end of the
 * test, a violation of another kind (and not expected) fails it. Kept beside the report, never in it (an assertion
 * does not change what it asserts on), by the report's identity (the kit's reports do not override {@code equals}),
 * and weakly: a report no longer referenced is forgotten.
 */
public final class AssertedKinds {

    private static final Map<ShutdownReport, Set<Violation.Kind>> ASSERTED = Collections.synchronizedMap(new WeakHashMap<>());

    private AssertedKinds() {
    }

    /** An assertion on this report checked these kinds. */
    public static void add(ShutdownReport report, Set<Violation.Kind> kinds) {
        if (kinds.isEmpty()) {
            return;
        }
        synchronized (ASSERTED) {
            ASSERTED.computeIfAbsent(report, r -> EnumSet.noneOf(Violation.Kind.class)).addAll(kinds);
        }
    }

    /** The kinds asserted on this report so far (a copy). */
    public static Set<Violation.Kind> of(ShutdownReport report) {
        synchronized (ASSERTED) {
            Set<Violation.Kind> kinds = ASSERTED.get(report);
            return kinds == null ? EnumSet.noneOf(Violation.Kind.class) : EnumSet.copyOf(kinds);
        }
    }
}
