package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.junit.GracefulShutdownExtension;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs every test method as one application lifetime, then simulates the JVM's shutdown and fails the test
 * if work was lost.
 *
 * <p>From the construction of the test instance (per-method lifecycle; with {@code PER_CLASS} from the first
 * {@code @BeforeEach}) to the end of the test method, the kit records every thread,
 * executor, task and shutdown hook created by the test's threads and the threads they start (shutdown
 * hooks are captured, not installed; {@code System.exit} and {@code Runtime.halt} never leave the test JVM).
 * When the method returns, the {@link #trigger()} is simulated in the JVM's own order (see
 * {@link ShutdownTrigger}) and every {@link Violation} fails the test in one {@link AssertionError}.
 *
 * <p>Placed on a class, it applies to each test method. Every attribute follows one rule: <b>the nearest one that
 * is set wins</b>, attribute by attribute: the method's annotation, then the class's (and its enclosing classes',
 * for {@code @Nested}; an annotation may also come from a meta-annotation), then the configuration parameter
 * ({@code junit-platform.properties}: {@value #GRACE_PERIOD_PROPERTY}, {@value #EXIT_TIMEOUT_PROPERTY},
 * {@value #IGNORE_THREADS_PROPERTY}, {@value #FORK_ALL_PROPERTY}), then the kit's default. An attribute left at its
 * default is not set: an empty array ({@code trigger}, {@code fork}, {@code expect}, {@code args},
 * {@code ignoreThreads}), an empty string (the durations, {@code readyOutput}) or {@code void.class}
 * ({@code mainClass}). So a class's {@code trigger = MAIN_RETURN, mainClass = App.class} and a method's
 * {@code exitTimeout = "2s"} give the method all three.
 *
 * <p>Thread-safety: tests may run in parallel; each test sees only what its own threads created.
 *
 * @see ShutdownSimulator to trigger the shutdown in the middle of a test
 * @see ShutdownAssertions to assert on the report
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(GracefulShutdownExtension.class)
public @interface GracefulShutdownTest {

    /** Property for the default grace period, e.g. {@code 30s}. */
    String GRACE_PERIOD_PROPERTY = "gracefulshutdown.gracePeriod.default";

    /** Property for the default exit timeout, e.g. {@code 10s}. */
    String EXIT_TIMEOUT_PROPERTY = "gracefulshutdown.exitTimeout.default";

    /** Property for thread-name patterns ignored by every test, comma separated regular expressions. */
    String IGNORE_THREADS_PROPERTY = "gracefulshutdown.ignoreThreads";

    /**
     * Property that makes every test judged as if it had no {@link #expect()}: each violation fails it. The
     * project's own check uses it to prove that its broken examples still fail; use it to see what your
     * regression tests would print.
     */
    String EXPECT_IGNORED_PROPERTY = "gracefulshutdown.expect.ignore";

    /**
     * Property that runs every {@code @GracefulShutdownTest} that does not set {@link #fork()} in a forked JVM, as if
     * it said {@code fork = true}: the reference run of a whole suite. Tests that take a {@link ShutdownSimulator} cannot be forked.
     */
    String FORK_ALL_PROPERTY = "gracefulshutdown.fork.default";

    /**
     * Property that says for which tests the kit writes a shutdown timeline, a page that draws the shutdown in time:
     * {@code failing} (the default), {@code all} or {@code off}. Its path ends the failure message and is published as
     * the report entry {@code gracefulshutdown.timeline}.
     */
    String TIMELINE_PROPERTY = "gracefulshutdown.timeline";

    /**
     * Property (configuration parameter or system property) naming libraries the kit does not know, as package
     * prefixes separated by commas ({@code com.acme.sdk,io.vendor.client}): their frames are not the user's code, so
     * their own loops and tasks (a test server's accept loop, a client's housekeeping) are not the user's lost work,
     * while the user's callbacks they run still are. Applies to the whole run, the guard, forked JVMs and containers.
     */
    String LIBRARIES_PROPERTY = KnownLibraries.PROPERTY;

    /** Property for the directory the timeline pages go to, relative to the working directory: {@value #DEFAULT_TIMELINE_DIR} by default. */
    String TIMELINE_DIR_PROPERTY = "gracefulshutdown.timeline.dir";

    /** Where the timeline pages go when {@value #TIMELINE_DIR_PROPERTY} is not set. */
    String DEFAULT_TIMELINE_DIR = "target/graceful-shutdown/timeline";

    /** The grace period when neither the annotation nor the properties set one: Kubernetes' default. */
    String DEFAULT_GRACE_PERIOD = "30s";

    /** The exit timeout when neither the annotation nor the properties set one. */
    String DEFAULT_EXIT_TIMEOUT = "10s";

    /**
     * How the simulated shutdown starts when the test method returns: {@code trigger = ShutdownTrigger.MAIN_RETURN}
     * (one value; an array only so that "not set" can be told apart). Not set: the enclosing annotation's, else
     * {@link ShutdownTrigger#SIGTERM}.
     */
    ShutdownTrigger[] trigger() default {};

    /**
     * How long the shutdown hooks may run before the process would be killed ({@code SIGKILL}), like
     * Kubernetes' {@code terminationGracePeriodSeconds} or {@code docker stop -t}. Accepts {@code 500ms},
     * {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}). Not set (empty): the enclosing annotation's,
     * else {@value #GRACE_PERIOD_PROPERTY}, else 30 s.
     */
    String gracePeriod() default "";

    /**
     * For {@link ShutdownTrigger#MAIN_RETURN}: how long the JVM may keep running after {@code main} returns,
     * waiting for non-daemon threads that will end by themselves (a pool whose keep-alive expires). A thread
     * that provably never ends is reported at once. Same formats as {@link #gracePeriod()}. Not set (empty): the
     * enclosing annotation's, else {@value #EXIT_TIMEOUT_PROPERTY}, else 10 s.
     */
    String exitTimeout() default "";

    /**
     * The violations this test expects: for a regression test of a known-bad configuration. The test
     * passes only if exactly these kinds occur, and fails if any of them is missing or another one occurs.
     * Not set (empty): the enclosing annotation's, else none: the test passes only if the shutdown is clean.
     */
    Violation.Kind[] expect() default {};

    /**
     * Runs the test in a fresh child JVM (same {@code java}, same class path, the kit's agent) and shuts that
     * JVM down for real: {@code SIGTERM} is a real signal, {@code EXIT} a real {@code System.exit},
     * {@code MAIN_RETURN} a real return from {@code main}. The reference the in-process simulation is
     * checked against; it costs a JVM start per test. {@code @BeforeEach} and {@code @AfterEach} methods run
     * in the child only. Not combinable with a {@link ShutdownSimulator} parameter.
     *
     * <p>Written {@code fork = true} or {@code fork = false} (one value; an array only so that "not set" can be
     * told apart, e.g. a method's {@code fork = false} in a forked class). Not set: the enclosing annotation's,
     * else {@value #FORK_ALL_PROPERTY}, else {@code false}.
     */
    boolean[] fork() default {};

    /**
     * The application's main class: before the test method runs, the kit starts {@code mainClass.main(args)}
     * on a thread of its own (see {@link ShutdownSimulator#start}) and waits until {@link #readyOutput()}
     * appears in its output. The test method then runs against the running application (it may be empty),
     * and the shutdown is triggered when it returns. Works in-process and with {@link #fork()}. Not set
     * ({@code void.class}): the enclosing annotation's, else no application is started.
     */
    Class<?> mainClass() default void.class;

    /** The arguments of {@link #mainClass()}'s {@code main}. Not set (empty): the enclosing annotation's, else none. */
    String[] args() default {};

    /**
     * Text that {@link #mainClass()} writes to {@code System.out} or {@code System.err} once it is ready, e.g. a
     * log line such as {@code "Started"}. Requires {@code mainClass}. Not set (empty): the enclosing annotation's,
     * else the kit waits for nothing after starting it.
     */
    String readyOutput() default "";

    /**
     * How long the kit waits for {@link #readyOutput()}; same formats as {@link #gracePeriod()}. Not set (empty): the
     * enclosing annotation's, else 30 s.
     */
    String readyTimeout() default "";

    /**
     * Regular expressions for names of threads the kit must leave out, matched against the whole name.
     * Added to the kit's own list (JDK, JUnit, Surefire and Awaitility threads), which always applies. Not set
     * (empty): the enclosing annotation's, else {@value #IGNORE_THREADS_PROPERTY}.
     */
    String[] ignoreThreads() default {};
}
