package dev.gracefulshutdown.benchmarks;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * What the agent costs the code around the tests, as ratios within one run:
 * <ul>
 * <li>the instrumented JDK paths ({@link InstrumentedPaths}, JMH), each in forks run back to back: no agent (the
 * baseline) and the agent loaded with no scope open, {@value #ROUNDS} alternating forks each (medians), and one
 * fork inside a scope (every task captured);</li>
 * <li>JVM start-up: a trivial {@code main} started {@value #STARTS} times each, alternating, without the agent,
 * with {@code -javaagent} (which installs nothing until a kit test needs it), attaching it to itself, and with
 * {@code -javaagent} and an installation as the first kit test does it (medians of wall time).</li>
 * </ul>
 * Needs {@code -Dgracefulshutdown.benchmark.agent=<the kit's jar>}. Optional: {@code -Dgracefulshutdown.benchmark.only=}
 * a benchmark method's name, {@code -Dgracefulshutdown.benchmark.skipStartup=true}.
 */
public final class AgentCostBenchmark {

    static final int STARTS = 11;
    /** Forks per benchmark and mode, alternating; medians. */
    static final int ROUNDS = 3;
    private static final String AGENT = System.getProperty("gracefulshutdown.benchmark.agent");
    private static final String DYNAMIC_AGENT_FLAGS = "-XX:+IgnoreUnrecognizedVMOptions";
    private static final String ENABLE_DYNAMIC = "-XX:+EnableDynamicAgentLoading";

    private AgentCostBenchmark() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        if (AGENT == null || !new File(AGENT).isFile()) {
            throw new IllegalStateException("set -Dgracefulshutdown.benchmark.agent to the kit's jar, not " + AGENT);
        }
        List<String> lines = new ArrayList<>();
        if (!Boolean.getBoolean("gracefulshutdown.benchmark.skipStartup")) {
            lines.add(startup());
        }
        List<String> benchmarks = new ArrayList<>(List.of("threadPoolExecute", "threadPoolSubmit", "scheduledSchedule",
                "forkJoinSubmit", "completableFutureRunAsync", "threadStart"));
        if (Runtime.version().feature() >= 21) {
            benchmarks.add("virtualThreadStart");
        }
        String only = System.getProperty("gracefulshutdown.benchmark.only");
        lines.add(String.format(Locale.ROOT, "%-26s %14s %22s %23s", "instrumented path (medians)", "no agent (ns)",
                "agent, no scope", "agent, in a scope"));
        if (only != null) {
            benchmarks.retainAll(List.of(only));
        }
        java.util.Map<String, List<Double>> none = new java.util.HashMap<>();
        java.util.Map<String, List<Double>> idle = new java.util.HashMap<>();
        java.util.Map<String, Double> scope = new java.util.HashMap<>();
        for (int round = 0; round < ROUNDS; round++) { // alternating forks: the machine's noise hits both modes alike
            for (String benchmark : benchmarks) {
                none.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(run(benchmark, List.of()));
                idle.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(run(benchmark, List.of("-javaagent:" + AGENT)));
                if (round == 0) { // a captured task costs a hundred times more: one fork tells it
                    scope.put(benchmark, run(benchmark, List.of("-javaagent:" + AGENT,
                            "-D" + InstrumentedPaths.SCOPE_PROPERTY + "=true")));
                }
            }
        }
        for (String benchmark : benchmarks) {
            double base = medianOf(none.get(benchmark));
            double agent = medianOf(idle.get(benchmark));
            double captured = scope.get(benchmark);
            lines.add(String.format(Locale.ROOT, "%-26s %14.1f %9.1f ns, x%.2f thr %9.1f ns, x%.3f thr", benchmark, base,
                    agent, base / agent, captured, base / captured));
        }
        System.out.printf(Locale.ROOT, "JDK %s, %d cores. Throughput is relative to no agent (x1.00 = as fast; higher is better).%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        lines.forEach(System.out::println);
    }

    /** Average time per task (or thread), in ns, from one short JMH fork. */
    private static double run(String benchmark, List<String> jvmArgs) throws RunnerException {
        List<String> args = new ArrayList<>(jvmArgs);
        args.add("-Xmx512m");
        if (Runtime.version().feature() >= 24) {
            args.add("--sun-misc-unsafe-memory-access=allow"); // JMH's own use of Unsafe, warned about in every fork
        }
        Options options = new OptionsBuilder()
                .include(InstrumentedPaths.class.getName() + "." + benchmark + "$")
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
                .measurementIterations(4).measurementTime(TimeValue.milliseconds(500))
                .timeUnit(TimeUnit.NANOSECONDS)
                .jvmArgsAppend(args.toArray(new String[0]))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getScore();
    }

    /** Alternating JVM starts: no agent, -javaagent, self-attach. Medians of wall time, in ms. */
    private static String startup() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classpath = System.getProperty("java.class.path");
        List<String> plain = List.of(java, "-cp", classpath, StartupMain.class.getName());
        List<String> premain = List.of(java, "-javaagent:" + AGENT, "-cp", classpath, StartupMain.class.getName());
        List<String> attach = List.of(java, DYNAMIC_AGENT_FLAGS, ENABLE_DYNAMIC, "-cp", classpath, StartupMain.class.getName(),
                "attach");
        // -javaagent installs at the first kit test: this is what a JVM that runs one pays in all
        List<String> premainThenTest = List.of(java, "-javaagent:" + AGENT, "-cp", classpath, StartupMain.class.getName(), "attach");
        List<Long> plainTimes = new ArrayList<>();
        List<Long> premainTimes = new ArrayList<>();
        List<Long> attachTimes = new ArrayList<>();
        List<Long> premainThenTestTimes = new ArrayList<>();
        start(plain); // warm-up: the file cache
        start(premain);
        for (int i = 0; i < STARTS; i++) {
            plainTimes.add(start(plain));
            premainTimes.add(start(premain));
            attachTimes.add(start(attach));
            premainThenTestTimes.add(start(premainThenTest));
        }
        double base = median(plainTimes);
        double withAgent = median(premainTimes);
        double attached = median(attachTimes);
        double installedAtFirstTest = median(premainThenTestTimes);
        return String.format(Locale.ROOT, "JVM start, trivial main, medians of %d alternating starts: no agent %.0f ms (baseline); "
                + "-javaagent %.0f ms (+%.0f ms, ratio %.2f); self-attach %.0f ms (+%.0f ms, ratio %.2f); -javaagent and one kit "
                + "test's installation %.0f ms (+%.0f ms, ratio %.2f)", STARTS, base / 1e6,
                withAgent / 1e6, (withAgent - base) / 1e6, withAgent / base, attached / 1e6, (attached - base) / 1e6, attached / base,
                installedAtFirstTest / 1e6, (installedAtFirstTest - base) / 1e6, installedAtFirstTest / base);
    }

    private static long start(List<String> command) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not end: " + command);
        }
        long took = System.nanoTime() - begin;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + ": " + command);
        }
        return took;
    }

    private static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
