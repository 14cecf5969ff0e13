package dev.gracefulshutdown.internal.explore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;

/**
 * One explored test: its plan, unfolded run by run. JUnit asks for the next run only once the previous one has run,
 * so the runs after the first are planned from what the first one recorded: its points, its hooks.
 */
final class Exploration {

    private final Options options;
    private final long seed;
    private final String test;
    private final ExtensionContext template;
    private final List<ExploredRun> runs = new ArrayList<>();
    private final Deque<ExploredRun> planned = new ArrayDeque<>();
    private volatile List<Point> points;
    private volatile List<String> hooks;
    private int pointsExplored;
    private int ordersExplored;
    private boolean planMade;
    private boolean summarised;
    private long startNanos;

    Exploration(Options options, String test, ExtensionContext template) {
        this.options = options;
        this.seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
        this.test = test;
        this.template = template;
    }

    /** The runs, lazily: each is planned once JUnit has run the ones before it. */
    Stream<TestTemplateInvocationContext> runs() {
        Iterator<TestTemplateInvocationContext> iterator = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return Exploration.this.next(false) != null;
            }

            @Override
            public TestTemplateInvocationContext next() {
                ExploredRun run = Exploration.this.next(true);
                if (run == null) {
                    throw new NoSuchElementException();
                }
                return run;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
    }

    private synchronized ExploredRun next(boolean take) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
            if (options.replays()) {
                planned.add(replay());
                planMade = true;
            } else {
                planned.add(new ExploredRun(ExploredRun.Kind.RECORD, null, null,
                        "SIGTERM when the method returns (records the points)", this, false));
            }
        }
        if (planned.isEmpty() && !planMade && points != null) {
            plan();
        }
        if (planned.isEmpty()) {
            summarise();
            return null;
        }
        ExploredRun run = take ? planned.poll() : planned.peek();
        if (take) {
            runs.add(run);
        }
        return run;
    }

    private ExploredRun replay() {
        String point = options.replayPoint();
        List<Integer> order = options.replayOrder();
        String name = (point != null ? "SIGTERM after " + point : "SIGTERM when the method returns")
                + (order != null ? ", " + describeOrder(order, null) : "") + " (replay)";
        return new ExploredRun(point != null ? ExploredRun.Kind.POINT : ExploredRun.Kind.ORDER, point, order, name, this, true);
    }

    /** From the first run's record: one run per point (a sample beyond the budget), then one per hook order. */
    private void plan() {
        planMade = true;
        List<Point> explored = HookOrders.sample(points, options.budget(), seed, Point::key);
        pointsExplored = explored.size();
        for (Point point : explored) {
            planned.add(new ExploredRun(ExploredRun.Kind.POINT, point.key(), null, "SIGTERM after " + point.described(), this, false));
        }
        if (options.hookOrders()) {
            List<List<Integer>> orders = HookOrders.of(hooks.size(), options.budget(), seed);
            ordersExplored = orders.size();
            for (List<Integer> order : orders) {
                planned.add(new ExploredRun(ExploredRun.Kind.ORDER, null, order,
                        "SIGTERM when the method returns, " + describeOrder(order, hooks), this, false));
            }
        }
    }

    /** The first run's record. */
    void recorded(List<Point> reached, List<String> hookNames) {
        this.hooks = List.copyOf(hookNames);
        this.points = List.copyOf(reached);
    }

    void finished(ExploredRun run) {
        // outcomes are read from the runs themselves; nothing else to do while the next run is planned
    }

    private static String describeOrder(List<Integer> order, List<String> names) {
        return "hooks one after another: " + order.stream()
                .map(position -> "hook#" + position + (names != null && position <= names.size() ? " \"" + names.get(position - 1) + "\"" : ""))
                .collect(Collectors.joining(", then "));
    }

    private boolean sampledPoints() {
        return points != null && points.size() > pointsExplored;
    }

    private boolean sampledOrders() {
        return hooks != null && hooks.size() > HookOrders.EXHAUSTIVE_UP_TO && ordersExplored > 0;
    }

    /** What a failing run adds to its message: which run it is, the line that replays it, what the other runs say. */
    synchronized String describeFailure(ExploredRun run) {
        if (run.kind == ExploredRun.Kind.RECORD) {
            return "This is the plain test's run (SIGTERM when the method returns), the first of the exploration.";
        }
        String replay = run.target != null && run.order != null ? "after " + run.target + "; " + Options.hooks(run.order)
                : run.target != null ? "after " + run.target : Options.hooks(run.order);
        StringBuilder text = new StringBuilder();
        text.append(run.kind == ExploredRun.Kind.POINT
                ? "SIGTERM came right after that point, while the application went on (the JVM runs the hooks on its own threads)."
                : "The hooks ran one after another in that order (the JVM starts them all at once, so any order can happen).");
        if (run.kind == ExploredRun.Kind.ORDER && !options.replays()) {
            List<String> passing = new ArrayList<>();
            for (ExploredRun other : runs) {
                if (other != run && Boolean.TRUE.equals(other.passed())
                        && (other.kind == ExploredRun.Kind.ORDER || other.kind == ExploredRun.Kind.RECORD)) {
                    passing.add(other.kind == ExploredRun.Kind.RECORD ? "all at once" : Options.hooks(other.order));
                }
            }
            text.append(passing.isEmpty()
                    ? "\nNo hook order tried before this one passed."
                    : "\nThe hooks depend on each other's order: this order loses work, while " + String.join(", ", passing)
                            + " passed. Make one hook do the steps in order, or have one hook wait for the other.");
        }
        text.append("\nReplay exactly this run: @ExploreShutdown(replay = \"").append(replay).append("\")");
        if (!run.replayed() && (run.kind == ExploredRun.Kind.POINT ? sampledPoints() : sampledOrders())) {
            text.append("\n(a sample drawn with seed ").append(seed).append(": @ExploreShutdown(seed = \"").append(seed)
                    .append("\") draws the same one)");
        }
        return text.toString();
    }

    /** Once the last run has run: how many points and orders were tried, how long it took, and what failed. */
    private void summarise() {
        if (summarised) {
            return;
        }
        summarised = true;
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        List<String> failed = runs.stream().filter(run -> Boolean.FALSE.equals(run.passed())).map(ExploredRun::displayName).toList();
        StringBuilder summary = new StringBuilder(test).append(": ");
        if (options.replays()) {
            summary.append("replayed one run");
        } else {
            int allPoints = points == null ? 0 : points.size();
            summary.append("1 plain run, ").append(pointsExplored).append(" of ").append(allPoints).append(" points");
            if (sampledPoints()) {
                summary.append(" (sample, seed ").append(seed).append(")");
            }
            summary.append(", ").append(ordersExplored).append(" hook orders of ").append(hooks == null ? 0 : hooks.size()).append(" hooks");
            if (sampledOrders()) {
                summary.append(" (sample, seed ").append(seed).append(")");
            }
            long orderRuns = runs.stream().filter(run -> run.kind == ExploredRun.Kind.ORDER && run.passed() != null).count();
            long orderFailures = runs.stream().filter(run -> run.kind == ExploredRun.Kind.ORDER && Boolean.FALSE.equals(run.passed())).count();
            if (orderFailures > 0 && orderFailures < orderRuns) {
                summary.append("; the hooks depend on each other's order (").append(orderFailures).append(" of ").append(orderRuns)
                        .append(" orders fail)");
            }
        }
        summary.append("; ").append(runs.size()).append(" runs in ").append(millis).append(" ms");
        if (!runs.isEmpty()) {
            summary.append(" (").append(millis / runs.size()).append(" ms per run)");
        }
        summary.append(failed.isEmpty() ? "; every run passed" : "; failed: " + String.join(" | ", failed));
        template.publishReportEntry("gracefulshutdown.explore", summary.toString());
    }
}
