package dev.gracefulshutdown.internal.report.timeline;

import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.internal.text.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report as a story in time, ready to draw: one lane per captured thread (and one per executor for the tasks that
 * never started), the tasks and hooks as bars on them, the shutdown's moments as marks, and each violation with the
 * lane it is about. Pure: built from the report alone. Every moment is in nanoseconds since the test's capture opened
 * ({@link CapturedThread#NOT_SEEN} when it did not happen).
 *
 * @param title what the page is about (the test)
 * @param report the report it shows
 * @param lanes the lanes, top to bottom
 * @param marks the shutdown's moments, in time order
 * @param violations the report's violations, each with its lane
 * @param halt when the JVM halted (or the verdict was taken), {@link CapturedThread#NOT_SEEN} when not recorded
 */
public record Timeline(String title, ShutdownReport report, List<Lane> lanes, List<Mark> marks, List<Flagged> violations,
        long halt) {

    private static final long NOT_SEEN = CapturedThread.NOT_SEEN;
    private static final Pattern TASK_ID = Pattern.compile("\\((task#\\d+)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /** What a lane shows. */
    public enum LaneKind { THREAD, HOOK, NEVER_STARTED }

    /** What a bar shows. */
    public enum BarKind { TASK, HOOK }

    /** A moment or a span of the shutdown, drawn across every lane. */
    public enum MarkKind { TRIGGER, HOOKS, GRACE_PERIOD_END, HALT }

    /**
     * One row: a thread, a hook's thread, or an executor's tasks that never started.
     *
     * @param id its anchor in the page ({@code lane-3})
     * @param name the thread's name (or the executor's)
     * @param detail what it is: its role, pool, daemon flag
     * @param thread the captured thread, or {@code null} for an executor's never-started tasks
     * @param start when the thread started, or {@link CapturedThread#NOT_SEEN}
     * @param end when it ended, or {@link CapturedThread#NOT_SEEN} when it was alive at the halt
     * @param bars what ran on it
     * @param violations the numbers (1-based) of the violations about it
     */
    public record Lane(String id, LaneKind kind, String name, String detail, CapturedThread thread, long start, long end,
            List<Bar> bars, List<Integer> violations) {

        /** Whether the thread was still alive when the JVM halted. */
        public boolean aliveAtHalt() {
            return thread != null && thread.alive();
        }
    }

    /**
     * A task or a hook's run.
     *
     * @param label its short name ({@code task#1}, the hook's name)
     * @param description what it is, for the tooltip
     * @param submitted when it was submitted (tasks), or {@link CapturedThread#NOT_SEEN}
     * @param start when it began to run, or {@link CapturedThread#NOT_SEEN} if it never did
     * @param end when it ended, or {@link CapturedThread#NOT_SEEN} (running at the halt, or its end not seen)
     * @param outcome its outcome's name ({@code COMPLETED}, {@code RUNNING}, {@code TIMED_OUT}...)
     * @param cutOff whether the halt cut it off (running at the halt, a hook past the grace period)
     * @param violations the numbers of the violations about it
     */
    public record Bar(BarKind kind, String label, String description, long submitted, long start, long end, String outcome,
            boolean cutOff, List<Integer> violations) {
    }

    /**
     * A moment, or a span when {@code end} is set.
     *
     * @param label what a reader sees at the top of the line
     * @param at when
     * @param end for a span (the hooks' run), its end, else {@link CapturedThread#NOT_SEEN}
     * @param offChart for the grace period's end: it comes after the halt, the chart does not reach it
     */
    public record Mark(MarkKind kind, String label, long at, long end, boolean offChart) {
    }

    /**
     * A violation and where it is drawn.
     *
     * @param number its number in the report (1-based), its anchor {@code violation-N}
     * @param lane the lane's id, or {@code null} when it is about no lane
     */
    public record Flagged(int number, Violation violation, String lane) {
    }

    /** The timeline of a report. */
    public static Timeline of(String title, ShutdownReport report) {
        ShutdownReport.Timings timings = report.timings();
        long triggered = nanos(timings.triggeredAt());
        long halt = nanos(timings.haltedAt());

        Map<Long, LaneBuilder> byThread = new LinkedHashMap<>();
        List<CapturedThread> threads = new ArrayList<>(report.threads());
        threads.sort(Comparator.comparing((CapturedThread t) -> t.role() == CapturedThread.Role.HOOK)
                .thenComparingLong(t -> t.startedAtNanos() == NOT_SEEN ? Long.MAX_VALUE : t.startedAtNanos()));
        for (CapturedThread thread : threads) {
            byThread.putIfAbsent(thread.id(), new LaneBuilder(thread.role() == CapturedThread.Role.HOOK ? LaneKind.HOOK
                    : LaneKind.THREAD, thread.name(), describe(thread), thread));
        }
        Map<String, LaneBuilder> neverStarted = new LinkedHashMap<>();
        Map<String, LaneBuilder> byTask = new LinkedHashMap<>();
        Map<String, BarBuilder> barByTask = new LinkedHashMap<>();
        for (CapturedTask task : report.tasks()) {
            LaneBuilder lane = task.threadId() == null ? null : byThread.get(task.threadId());
            if (lane == null) {
                lane = neverStarted.computeIfAbsent(task.executor(), executor -> new LaneBuilder(LaneKind.NEVER_STARTED,
                        executor, "its tasks that never started", null));
            }
            BarBuilder bar = new BarBuilder(BarKind.TASK, task.id(), task.description() + " on " + task.executor(),
                    task.submittedAtNanos(), task.startedAtNanos(), task.endedAtNanos(), task.outcome().name(),
                    task.outcome() == CapturedTask.Outcome.RUNNING && halt != NOT_SEEN && report.jvmExits());
            lane.bars.add(bar);
            byTask.put(task.id(), lane);
            barByTask.put(task.id(), bar);
        }
        Map<String, BarBuilder> barByHook = new LinkedHashMap<>();
        for (CapturedHook hook : report.hooks()) {
            LaneBuilder lane = byThread.computeIfAbsent(hook.threadId(), id -> new LaneBuilder(LaneKind.HOOK, hook.name(),
                    "shutdown hook", null));
            BarBuilder bar = new BarBuilder(BarKind.HOOK, hook.name(), "shutdown hook \"" + hook.name() + "\" registered at "
                    + hook.registrationSite().where(), NOT_SEEN, hook.startedAtNanos(), hook.endedAtNanos(),
                    hook.outcome().name(), hook.outcome() == CapturedHook.Outcome.TIMED_OUT);
            lane.bars.add(bar);
            barByHook.put(hook.name(), bar);
        }

        List<LaneBuilder> ordered = new ArrayList<>();
        byThread.values().stream().filter(l -> l.kind == LaneKind.THREAD).forEach(ordered::add);
        ordered.addAll(neverStarted.values());
        byThread.values().stream().filter(l -> l.kind == LaneKind.HOOK).forEach(ordered::add);
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).id = "lane-" + (i + 1);
        }

        List<Flagged> flagged = new ArrayList<>();
        int number = 1;
        for (Violation violation : report.violations()) {
            LaneBuilder lane = null;
            Matcher task = TASK_ID.matcher(violation.subject());
            if (task.find() && byTask.containsKey(task.group(1))) {
                lane = byTask.get(task.group(1));
                barByTask.get(task.group(1)).violations.add(number);
            } else {
                Matcher quoted = QUOTED.matcher(violation.subject());
                String name = quoted.find() ? quoted.group(1) : null;
                if (name != null && violation.subject().startsWith("shutdown hook") && barByHook.containsKey(name)) {
                    barByHook.get(name).violations.add(number);
                    long threadId = report.hooks().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow().threadId();
                    lane = byThread.get(threadId);
                } else if (name != null) {
                    lane = ordered.stream().filter(l -> l.thread != null && l.thread.name().equals(name))
                            .reduce((first, second) -> second.thread.alive() ? second : first).orElse(null);
                }
            }
            if (lane != null) {
                lane.violations.add(number);
            }
            flagged.add(new Flagged(number++, violation, lane == null ? null : lane.id));
        }
        return new Timeline(title, report, ordered.stream().map(LaneBuilder::build).toList(),
                marks(report, triggered, halt), flagged, halt);
    }

    private static List<Mark> marks(ShutdownReport report, long triggered, long halt) {
        List<Mark> marks = new ArrayList<>();
        if (triggered != NOT_SEEN) {
            marks.add(new Mark(MarkKind.TRIGGER, trigger(report), triggered, NOT_SEEN, false));
        }
        long hooksStart = report.hooks().stream().mapToLong(CapturedHook::startedAtNanos).filter(t -> t != NOT_SEEN).min()
                .orElse(NOT_SEEN);
        if (hooksStart != NOT_SEEN) {
            long hooksEnd = report.hooks().stream().filter(h -> h.startedAtNanos() != NOT_SEEN)
                    .mapToLong(h -> h.endedAtNanos() == NOT_SEEN ? halt : h.endedAtNanos()).max().orElse(hooksStart);
            marks.add(new Mark(MarkKind.HOOKS, "hooks run", hooksStart, Math.max(hooksStart, hooksEnd), false));
        }
        boolean exits = report.jvmExits();
        if (triggered != NOT_SEEN && exits && report.trigger() != ShutdownTrigger.MAIN_RETURN || hooksStart != NOT_SEEN) {
            long graceStart = hooksStart != NOT_SEEN ? hooksStart : triggered + report.timings().waitingForThreads().toNanos();
            long graceEnd = graceStart + report.gracePeriod().toNanos();
            boolean off = halt != NOT_SEEN && graceEnd > halt;
            marks.add(new Mark(MarkKind.GRACE_PERIOD_END, "grace period (" + Durations.format(report.gracePeriod()) + ") ends"
                    + (off ? " later, at " + millis(graceEnd - (triggered == NOT_SEEN ? 0 : triggered)) + " after the trigger" : ""),
                    graceEnd, NOT_SEEN, off));
        }
        if (halt != NOT_SEEN) {
            boolean killed = report.forkedJvm().map(ShutdownReport.ForkedJvm::killed).orElse(false)
                    || report.container().map(ShutdownReport.Container::killed).orElse(false);
            marks.add(new Mark(MarkKind.HALT, !exits ? "verdict: the JVM would not exit" : killed ? "halt (killed, SIGKILL)" : "halt",
                    halt, NOT_SEEN, false));
        }
        marks.sort(Comparator.comparingLong(Mark::at));
        return marks;
    }

    private static String trigger(ShutdownReport report) {
        switch (report.trigger()) {
            case EXIT: return "System.exit(" + report.exitStatus().orElse(0) + ")";
            case MAIN_RETURN: return "main returned";
            default: return report.container().isPresent() ? "docker stop (SIGTERM)" : "SIGTERM";
        }
    }

    private static String describe(CapturedThread thread) {
        String role;
        switch (thread.role()) {
            case POOL_WORKER: role = "worker of " + thread.executor(); break;
            case TASK_THREAD: role = "thread of one task"; break;
            case FRAMEWORK_WORKER: role = "server/framework worker"; break;
            case HOOK: role = "shutdown hook"; break;
            default: role = "started by \"" + thread.createdBy() + "\"";
        }
        return role + " · " + (thread.virtual() ? "virtual" : thread.daemon() ? "daemon" : "non-daemon");
    }

    /** A time span as a reader wants it: {@code 12.5 ms}, {@code 3.20 s}. */
    public static String millis(long nanos) {
        double ms = nanos / 1_000_000.0;
        if (nanos == 0) {
            return "0 ms";
        }
        if (Math.abs(ms) >= 1000) {
            return String.format(java.util.Locale.ROOT, "%.2f", ms / 1000).replaceAll("\\.?0+$", "") + " s";
        }
        return String.format(java.util.Locale.ROOT, Math.abs(ms) >= 10 ? "%.0f ms" : "%.1f ms", ms);
    }

    private static long nanos(Duration moment) {
        return moment == null ? NOT_SEEN : moment.toNanos();
    }

    /** Whether any moment was recorded at all (a coarse container verdict has none). */
    public boolean hasMoments() {
        return halt != NOT_SEEN || lanes.stream().anyMatch(l -> l.start() != NOT_SEEN
                || l.bars().stream().anyMatch(b -> b.start() != NOT_SEEN || b.submitted() != NOT_SEEN));
    }

    private static final class LaneBuilder {
        final LaneKind kind;
        final String name;
        final String detail;
        final CapturedThread thread;
        final List<BarBuilder> bars = new ArrayList<>();
        final List<Integer> violations = new ArrayList<>();
        String id;

        LaneBuilder(LaneKind kind, String name, String detail, CapturedThread thread) {
            this.kind = kind;
            this.name = name;
            this.detail = detail;
            this.thread = thread;
        }

        Lane build() {
            return new Lane(id, kind, name, detail, thread, thread == null ? NOT_SEEN : thread.startedAtNanos(),
                    thread == null ? NOT_SEEN : thread.endedAtNanos(), bars.stream().map(BarBuilder::build).toList(),
                    List.copyOf(violations));
        }
    }

    private static final class BarBuilder {
        final BarKind kind;
        final String label;
        final String description;
        final long submitted;
        final long start;
        final long end;
        final String outcome;
        final boolean cutOff;
        final List<Integer> violations = new ArrayList<>();

        BarBuilder(BarKind kind, String label, String description, long submitted, long start, long end, String outcome,
                boolean cutOff) {
            this.kind = kind;
            this.label = label;
            this.description = description;
            this.submitted = submitted;
            this.start = start;
            this.end = end;
            this.outcome = outcome;
            this.cutOff = cutOff;
        }

        Bar build() {
            return new Bar(kind, label, description, submitted, start, end, outcome, cutOff, List.copyOf(violations));
        }
    }
}
