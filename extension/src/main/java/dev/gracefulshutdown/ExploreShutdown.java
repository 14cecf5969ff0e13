package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.explore.ShutdownExplorer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs a {@link GracefulShutdownTest} method once per moment a {@code SIGTERM} could arrive, and once per order its
 * shutdown hooks could run in: a real signal comes at any step of the work, and the JVM starts all hooks at once in
 * no set order.
 *
 * <pre>{@code
 * @ExploreShutdown
 * void importSurvivesSigtermAnywhere() {
 *     importer.importFile("orders.csv");   // submits, runs, hands off between pools
 *     importer.awaitWritten(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <ol>
 *   <li>The first run is the plain test ({@code SIGTERM} when the method returns). It records the <em>points</em> of
 *       the method's work that the kit sees: a task submitted, started, finished; a thread started; a hook
 *       registered; an executor shut down.</li>
 *   <li>Then one run per point, each a fresh application lifetime, with the {@code SIGTERM} delivered right after
 *       that point, as a real one is: the JVM's signal thread runs the hooks while the application's threads carry
 *       on, and the JVM halts when the hooks end. Its name says the point: "SIGTERM after task#2 (submitted at
 *       Importer.java:41) started". At most {@link #budget()} points run; beyond, a sample drawn with
 *       {@link #seed()}.</li>
 *   <li>With two hooks or more, one run per order, each hook started once the one before it has ended: every order
 *       of up to 4 hooks, a sample beyond. Hooks that pass in one order and fail in another depend on each other's
 *       order, and the failure says so.</li>
 * </ol>
 *
 * <p>A failing run names its point or order and the one line that replays exactly that run, e.g.
 * {@code @ExploreShutdown(replay = "after task#2 started")}: keep it, with the {@code expect} it gets, as the
 * regression test of the bug, and explore the fixed code without it.
 *
 * <p>Put it on a test method instead of {@code @Test}; {@link GracefulShutdownTest} applies (its settings come from
 * the method's or the class's annotation as usual). Exploration runs in-process only: each point needs the kit to
 * deliver the signal inside the application at that instant, which a forked JVM's single real {@code SIGTERM} from
 * outside cannot do; an exploring test is never forked, and {@code fork = true} on it is a configuration error. Its
 * runs run one after another (never in parallel with each other). A test that takes a {@link ShutdownSimulator}
 * triggers its own shutdown and cannot be explored.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@TestTemplate
@Execution(ExecutionMode.SAME_THREAD)
@GracefulShutdownTest(fork = false)
@ExtendWith(ShutdownExplorer.class)
public @interface ExploreShutdown {

    /** The budget when none is set. */
    int DEFAULT_BUDGET = 64;

    /**
     * At most this many points are explored, and at most this many hook orders (each order or point is one run of the
     * test). A test with more points runs a sample of them, drawn with {@link #seed()}, in the order they happened.
     * At least 1.
     */
    int budget() default DEFAULT_BUDGET;

    /**
     * The seed of the sample when there are more points than the {@link #budget()}, or more than 4 hooks: a number
     * ({@code "42"}). Not set (empty): a new seed each time, named in the runs' names and the summary, so that a
     * failing sample can be drawn again.
     */
    String seed() default "";

    /**
     * Runs exactly one explored run instead of exploring: {@code "after task#2 started"} (the point, as a failing
     * run's message writes it), {@code "hooks 2,1"} (the hooks one after another, by their registration order from
     * 1), or both, separated by {@code ";"}. A point the run does not reach fails the test. Not set (empty): explore.
     */
    String replay() default "";

    /** Whether the hooks also run in each order (when two or more are registered). */
    boolean hookOrders() default true;
}
