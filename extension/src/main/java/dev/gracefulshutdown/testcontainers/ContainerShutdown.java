package dev.gracefulshutdown.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.http.HttpTraffic;
import dev.gracefulshutdown.internal.capture.RealShutdown;
import dev.gracefulshutdown.internal.capture.RecordingFormat;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.container.AgentEvidence;
import dev.gracefulshutdown.internal.container.AgentJar;
import dev.gracefulshutdown.internal.container.ContainerAgentCache;
import dev.gracefulshutdown.internal.container.ContainerVerdict;
import dev.gracefulshutdown.internal.http.ContainerTraffic;
import dev.gracefulshutdown.internal.junit.Verdict;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import dev.gracefulshutdown.internal.libraries.NamedLibraries;
import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.internal.report.ExitCodes;
import dev.gracefulshutdown.internal.report.Report;
import dev.gracefulshutdown.internal.junit.Timelines;
import dev.gracefulshutdown.internal.report.ReportEntries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The kit's verdict for a JVM application in a Testcontainers container, after a real {@code docker stop}: the
 * container gets {@code SIGTERM}, its JVM runs its shutdown hooks, and Docker kills it ({@code SIGKILL}) if it is
 * still running when the grace period ends, as Kubernetes does after {@code terminationGracePeriodSeconds}.
 *
 * <pre>{@code
 * @Container
 * GenericContainer<?> service = new GenericContainer<>("my-service:1.4").withExposedPorts(8080)
 *         .waitingFor(Wait.forLogMessage(".*Started.*\\n", 1));
 *
 * @RegisterExtension
 * ContainerShutdown shutdown = ContainerShutdown.of(service);   // before the container starts
 *
 * @Test
 * void jobInFlightFinishesBeforeTheContainerStops() {
 *     startAnExportJob(service);
 *     ShutdownReport report = shutdown.dockerStop(Duration.ofSeconds(10));
 *     ShutdownAssertions.assertThat(report).isClean().hasExitStatus(143);
 * }
 * }</pre>
 *
 * <p>{@link #of} adds the kit's agent to the container before it starts: a self-contained jar is copied in and
 * loaded through {@code JAVA_TOOL_OPTIONS}, so any JVM (17 or newer) the container runs picks it up. The agent
 * records everything the application's {@code main} creates and writes it to {@value #RECORDING_DIRECTORY} in the
 * container as the real shutdown goes on, a last time from inside the JVM's halt; the kit copies it out after the
 * stop. So the report has the same violations and message as in-process and forked tests, plus the container's
 * exit code, whether the grace period was exceeded, how long the stop took and the tail of its log
 * ({@link ShutdownReport#container()}). A JVM that never begins its shutdown (a shell as the container's main
 * process passes no {@code SIGTERM} on) is told apart from slow hooks: {@code SHUTDOWN_NEVER_STARTED}, with
 * PID 1's command.
 *
 * <p>{@link #awaitExit} is for a batch container that should exit by itself once its job is done (a Kubernetes
 * Job): it waits, bounded by an exit timeout, and a container that does not exit is killed and its lingering
 * non-daemon threads are named.
 *
 * <p>{@link #withoutAgent} is for an image that cannot be changed: the verdict then rests on what is seen from
 * outside (a kill at the end of the grace period is a {@code HOOK_TIMEOUT}) and the report says it is coarse.
 *
 * <p>Registered as an extension ({@code @RegisterExtension}), it also fails the test for every violation of a
 * report that no assertion covered, the rule of {@code ShutdownSimulator}. Without registration the reports are
 * only returned. One instance per container; not for concurrent use by several threads.
 */
public final class ContainerShutdown implements BeforeEachCallback, AfterEachCallback {

    /** Where the agent jar is copied to in the container. */
    public static final String AGENT_PATH = "/graceful-shutdown-junit/agent.jar";
    /** Where the agent records the application in the container; copied out after the stop. */
    public static final String RECORDING_DIRECTORY = ContainerVerdict.RECORDING_DIRECTORY;
    private static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    private static final int LOG_TAIL_CHARS = 4000;
    private static final int MAIN_PROCESS_CHARS = 240;
    private static final Duration STOP_SLACK = Duration.ofSeconds(10);
    /** Each request times out 2 s after this: longer than any stop's grace period a test would choose. */
    private static final Duration TRAFFIC_GRACE_PERIOD = Duration.ofSeconds(30);

    private final GenericContainer<?> container;
    private final boolean agent;
    private final List<Pattern> ignoredThreads;
    private final List<ShutdownReport> reports = new CopyOnWriteArrayList<>();
    private ContainerTraffic traffic;

    private ContainerShutdown(GenericContainer<?> container, boolean agent, List<Pattern> ignoredThreads) {
        this.container = container;
        this.agent = agent;
        this.ignoredThreads = List.copyOf(ignoredThreads);
    }

    /**
     * Adds the kit's agent to a container that has not started yet: the agent jar, and {@code -javaagent} in
     * {@code JAVA_TOOL_OPTIONS} (after whatever the image or {@code withEnv} already put there).
     *
     * @throws IllegalStateException if the container has already started
     */
    public static ContainerShutdown of(GenericContainer<?> container) {
        requireNotStarted(container, "of");
        container.withCopyFileToContainer(MountableFile.forHostPath(AgentJar.get()), AGENT_PATH);
        java.nio.file.Path cache = ContainerAgentCache.hostDirectory();
        if (cache != null && ContainerAgentCache.hasEntries(cache)) { // what an earlier container's agent computed
            container.withCopyFileToContainer(MountableFile.forHostPath(cache), ContainerAgentCache.IN_CONTAINER);
        }
        container.withCreateContainerCmdModifier(ContainerShutdown::addAgentToJavaToolOptions);
        return new ContainerShutdown(container, true, List.of());
    }

    /** For an image the kit cannot add its agent to: a coarse verdict from the exit code and the timing alone. */
    public static ContainerShutdown withoutAgent(GenericContainer<?> container) {
        if (container == null) {
            throw new IllegalArgumentException("ContainerShutdown.withoutAgent(container): the container is null");
        }
        return new ContainerShutdown(container, false, List.of());
    }

    /** Also never blames threads whose whole name matches one of these regular expressions. */
    public ContainerShutdown ignoreThreads(String... regex) {
        List<Pattern> ignored = new ArrayList<>(ignoredThreads);
        for (String pattern : regex) {
            try {
                ignored.add(Pattern.compile(pattern));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("ContainerShutdown.ignoreThreads: '" + pattern
                        + "' is not a valid regular expression: " + e.getDescription(), e);
            }
        }
        return new ContainerShutdown(container, agent, ignored);
    }

    /**
     * HTTP traffic at the container through its next {@link #dockerStop}, from this JVM, as a load balancer in front
     * of the pod sends it: requests in flight when {@code SIGTERM} arrives, and requests still arriving in the
     * propagation window after it. Send it to the container's mapped port
     * ({@code "http://" + container.getHost() + ":" + container.getMappedPort(8080)}); the stop's report then judges
     * every request ({@code REQUEST_CUT_OFF}, {@code REQUEST_REFUSED}), as for an application in the test's own JVM.
     * The kit cannot see inside the container before the stop, so {@link HttpTraffic#inFlight} returns once its
     * requests have stayed unanswered for 250 ms. One traffic per stop: the same object until {@code dockerStop}.
     */
    public HttpTraffic traffic() {
        if (traffic == null) {
            traffic = new ContainerTraffic(container.getHost(), TRAFFIC_GRACE_PERIOD);
        }
        return traffic;
    }

    /**
     * Stops the running container the way {@code docker stop -t <seconds>} does and judges its shutdown. Every
     * wait is bounded by the grace period: Docker kills the container when it ends.
     *
     * @param gracePeriod how long Docker waits after {@code SIGTERM} before it kills the container: whole seconds,
     *     at least 1 ({@code docker stop} counts in seconds; Docker's default is 10 s, Kubernetes' 30 s)
     * @throws IllegalArgumentException for a grace period that is not a positive whole number of seconds
     * @throws IllegalStateException if the container is not running
     */
    public ShutdownReport dockerStop(Duration gracePeriod) {
        int seconds = seconds(gracePeriod);
        String id = container.getContainerId();
        if (id == null) {
            throw new IllegalStateException("dockerStop: the container " + imageName(container)
                    + " is not running (it was never started)");
        }
        DockerClient docker = container.getDockerClient();
        if (!container.isRunning()) {
            throw new IllegalStateException("dockerStop: the container " + imageName(container)
                    + " is not running" + exitedBefore(docker, id));
        }
        ContainerTraffic sent = traffic;
        traffic = null;
        long started = System.nanoTime();
        if (sent != null) {
            sent.triggered(started);
        }
        docker.stopContainerCmd(id).withTimeout(seconds).exec(); // returns once the container has stopped
        if (sent != null) {
            sent.halted(System.nanoTime());
        }
        InspectContainerResponse.ContainerState state = stoppedState(docker, id);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int exitCode = exitCode(state);
        String logs = container.getLogs();
        ShutdownReport report = ContainerVerdict.afterDockerStop(
                Settings.forContainer(ShutdownTrigger.SIGTERM, gracePeriod, Duration.ofSeconds(10), ignoredThreads), name(id),
                evidence(logs), exitCode, exitCode == ExitCodes.SIGKILL && took.compareTo(gracePeriod) >= 0,
                mainProcess(container.getContainerInfo() == null ? null : container.getContainerInfo().getConfig()),
                took, tail(logs));
        if (sent != null) {
            try {
                report = Report.withClientViolations(report, sent.verdict(ShutdownTrigger.SIGTERM));
            } finally {
                sent.close();
            }
        }
        reports.add(report);
        return report;
    }

    /**
     * Waits for the container to exit by itself, the way a batch job's JVM exits once {@code main} has returned
     * and no non-daemon thread is left (a Kubernetes Job, {@code docker run} of a batch), and judges how it ended.
     * A container still running when the exit timeout ends is killed ({@code SIGKILL}), and the non-daemon
     * threads that kept its JVM alive are reported as {@code LINGERING_THREAD}, with where they were created.
     *
     * @param exitTimeout how long to wait, counted from this call: give the job time to finish, then to exit
     * @throws IllegalArgumentException for a timeout that is not positive
     * @throws IllegalStateException if the container was never started
     */
    public ShutdownReport awaitExit(Duration exitTimeout) {
        if (exitTimeout == null || exitTimeout.isNegative() || exitTimeout.isZero()) {
            throw new IllegalArgumentException("awaitExit(exitTimeout): the exit timeout must be positive, but was "
                    + (exitTimeout == null ? "null" : exitTimeout.isNegative() ? exitTimeout.toString() : Durations.format(exitTimeout)));
        }
        String id = container.getContainerId();
        if (id == null) {
            throw new IllegalStateException("awaitExit: the container " + imageName(container) + " was never started");
        }
        if (traffic != null) {
            throw new IllegalStateException("awaitExit: HttpTraffic goes with dockerStop, the stop a load balancer's traffic "
                    + "lives through; a batch container that exits by itself has no requests to lose");
        }
        DockerClient docker = container.getDockerClient();
        long started = System.nanoTime();
        boolean exitedByItself;
        try {
            docker.waitContainerCmd(id).start().awaitStatusCode(exitTimeout.toMillis(), TimeUnit.MILLISECONDS);
            exitedByItself = true;
        } catch (RuntimeException stillRunning) { // docker-java signals the timeout with an exception
            exitedByItself = !Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
        }
        if (!exitedByItself) {
            docker.killContainerCmd(id).exec();
        }
        InspectContainerResponse.ContainerState state = stoppedState(docker, id);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String logs = container.getLogs();
        ShutdownReport report = ContainerVerdict.afterMainReturned(
                Settings.forContainer(ShutdownTrigger.MAIN_RETURN, Duration.ofSeconds(30), exitTimeout, ignoredThreads), name(id),
                evidence(logs), exitedByItself, exitCode(state), took, tail(logs));
        reports.add(report);
        return report;
    }

    /** The libraries the configuration names ({@value KnownLibraries#PROPERTY}) are the agent's in the container too. */
    @Override
    public void beforeEach(ExtensionContext context) {
        NamedLibraries.readFrom(context);
    }

    /** Fails the test for each violation of this test's reports that no assertion and no expectation covered. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (traffic != null) { // started, never stopped: nothing to judge, but nothing outlives the test either
            traffic.close();
            traffic = null;
        }
        List<ShutdownReport> judged = new ArrayList<>(reports);
        reports.clear();
        if (judged.isEmpty()) {
            return;
        }
        Timelines.Options timelines = Timelines.resolve(context);
        AssertionError first = null;
        for (ShutdownReport report : judged) {
            context.publishReportEntry(ReportEntries.of(report));
            AssertionError unasserted = Verdict.of(report, Set.of());
            unasserted = Timelines.pointingTo(unasserted, Timelines.write(context, timelines, report, unasserted != null));
            if (unasserted != null && first == null) {
                first = unasserted;
            } else if (unasserted != null) {
                first.addSuppressed(unasserted);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- the agent in the container ---------------------------------------------------------------------

    /** At container creation: the agent joins the JVM options the image and {@code withEnv} already set. */
    private static void addAgentToJavaToolOptions(CreateContainerCmd create) {
        Map<String, String> env = new LinkedHashMap<>();
        imageEnv(create.getImage()).forEach(entry -> put(env, entry));
        if (create.getEnv() != null) {
            Arrays.stream(create.getEnv()).forEach(entry -> put(env, entry));
        }
        String options = env.getOrDefault(JAVA_TOOL_OPTIONS, "").trim();
        String withAgent = (options.isEmpty() ? "" : options + " ") + "-javaagent:" + AGENT_PATH + "=record=" + RECORDING_DIRECTORY
                + " -Dgracefulshutdown.agent.cache=" + ContainerAgentCache.IN_CONTAINER
                + (KnownLibraries.named().isEmpty() ? "" : " -D" + KnownLibraries.PROPERTY + "=" + KnownLibraries.named());
        env.put(JAVA_TOOL_OPTIONS, withAgent);
        create.withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static List<String> imageEnv(String image) {
        try {
            String[] env = DockerClientFactory.lazyClient().inspectImageCmd(image).exec().getConfig().getEnv();
            return env == null ? List.of() : Arrays.asList(env);
        } catch (RuntimeException cannotInspect) {
            return List.of(); // then only what withEnv set is kept besides the agent
        }
    }

    private static void put(Map<String, String> env, String entry) {
        int equals = entry.indexOf('=');
        if (equals > 0) {
            env.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
    }

    private static void requireNotStarted(GenericContainer<?> container, String method) {
        if (container == null) {
            throw new IllegalArgumentException("ContainerShutdown." + method + "(container): the container is null");
        }
        if (container.getContainerId() != null) {
            throw new IllegalStateException("ContainerShutdown." + method + "(container) must be called before the container "
                    + "starts: the kit's agent goes in when the container is created (" + imageName(container) + ")");
        }
    }

    // ---- after the stop -----------------------------------------------------------------------------------

    private static int seconds(Duration gracePeriod) {
        if (gracePeriod == null || gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofSeconds(1)) < 0
                || gracePeriod.getNano() != 0 || gracePeriod.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dockerStop(gracePeriod): the grace period must be a whole number of seconds, "
                    + "at least 1 s (docker stop -t counts in seconds), but was "
                    + (gracePeriod == null ? "null" : gracePeriod.isNegative() ? gracePeriod.toString() : Durations.format(gracePeriod)));
        }
        return (int) gracePeriod.getSeconds();
    }

    /** Docker answers the stop once the container has stopped; a bounded check that it really has. */
    private static InspectContainerResponse.ContainerState stoppedState(DockerClient docker, String id) {
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
        if (Boolean.TRUE.equals(state.getRunning())) {
            try {
                docker.waitContainerCmd(id).start().awaitStatusCode(STOP_SLACK.toSeconds(), TimeUnit.SECONDS);
            } catch (RuntimeException stillRunning) {
                // reported below with whatever state Docker gives
            }
            state = docker.inspectContainerCmd(id).exec().getState();
        }
        return state;
    }

    private String name(String id) {
        return imageName(container) + " (" + id.substring(0, Math.min(12, id.length())) + ")";
    }

    private static int exitCode(InspectContainerResponse.ContainerState state) {
        return state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue();
    }

    private String exitedBefore(DockerClient docker, String id) {
        Long code = docker.inspectContainerCmd(id).exec().getState().getExitCodeLong();
        return " (it had already exited" + (code == null ? "" : " with code " + code) + "); its log ends with:\n"
                + tail(container.getLogs());
    }

    /**
     * The container's main process, PID 1: its entrypoint and command, from the configuration Testcontainers
     * inspected when the container started (they do not change after it is created).
     */
    private static String mainProcess(ContainerConfig config) {
        List<String> parts = new ArrayList<>();
        if (config != null && config.getEntrypoint() != null) {
            parts.addAll(List.of(config.getEntrypoint()));
        }
        if (config != null && config.getCmd() != null) {
            parts.addAll(List.of(config.getCmd()));
        }
        String command = String.join(" ", parts);
        return "`" + (command.length() <= MAIN_PROCESS_CHARS ? command : command.substring(0, MAIN_PROCESS_CHARS) + "...") + "`";
    }

    /** What the agent left in the stopped container: its recording, its failure, and whether a JVM loaded it. */
    private AgentEvidence evidence(String logs) {
        if (!agent) {
            return AgentEvidence.withoutAgent();
        }
        keepTheAgentsCache();
        return new AgentEvidence(true, recording(),
                copyOut(RealShutdown.AGENT_FAILED_FILE, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8)),
                logs.contains("Picked up " + JAVA_TOOL_OPTIONS) && logs.contains(AGENT_PATH));
    }

    /**
     * When the container's agent computed its woven classes, keeps them for the next container (see
     * {@link ContainerAgentCache}): copied, never read, by this JVM. Never fails the check.
     */
    private void keepTheAgentsCache() {
        java.nio.file.Path cache = ContainerAgentCache.hostDirectory();
        if (cache == null || copyOut(RealShutdown.AGENT_CACHE_STORED_FILE, in -> Boolean.TRUE) == null) {
            return;
        }
        try (InputStream archive = container.getDockerClient()
                .copyArchiveFromContainerCmd(container.getContainerId(), ContainerAgentCache.IN_CONTAINER).exec()) {
            ContainerAgentCache.keep(archive, cache);
        } catch (IOException | RuntimeException notKept) {
            // the next container computes its classes again
        }
    }

    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    /** The agent's recording, copied out of the stopped container and read as plain data; none without the agent. */
    private RecordingFormat.Recording recording() {
        return RecordingFormat.Recording.of(agent ? copyOut(RealShutdown.SNAPSHOT_FILE, InputStream::readAllBytes) : null);
    }

    /**
     * A file of the recording directory, from the stopped container; {@code null} if it is not there. At most
     * one byte over the recording's size limit is copied: the container chose the file's size.
     */
    private <T> T copyOut(String file, Reader<T> reader) {
        try {
            byte[] bytes = container.copyFileFromContainer(RECORDING_DIRECTORY + "/" + file,
                    in -> in.readNBytes(RecordingFormat.MAX_BYTES + 1));
            return reader.read(new ByteArrayInputStream(bytes));
        } catch (Exception notThere) {
            return null;
        }
    }

    private static String tail(String log) {
        return log.length() <= LOG_TAIL_CHARS ? log : log.substring(log.length() - LOG_TAIL_CHARS);
    }


    /**
     * The container's image, for messages. Testcontainers resolves the name through Docker; a message about a
     * container that never started must not need Docker, so without it the name is read from the image's description.
     */
    private static String imageName(GenericContainer<?> container) {
        try {
            return container.getDockerImageName();
        } catch (RuntimeException noDocker) {
            String described = String.valueOf(container.getImage());
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("imageName=([^,)]+)").matcher(described);
            return name.find() ? name.group(1) : described;
        }
    }
}
