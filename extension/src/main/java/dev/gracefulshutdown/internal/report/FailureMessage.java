package dev.gracefulshutdown.internal.report;

import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.util.List;

/** Renders a report as the message users read: what happened, where it came from, how to fix it. */
public final class FailureMessage {

    private FailureMessage() {
    }

    public static String render(ShutdownReport report) {
        return render(report, report.violations());
    }

    public static String render(ShutdownReport report, List<Violation> violations) {
        StringBuilder out = new StringBuilder();
        out.append(headline(report));
        if (violations.isEmpty()) {
            out.append(": clean (").append(inventory(report)).append(')');
            return out.toString();
        }
        out.append(": ").append(violations.size()).append(violations.size() == 1 ? " violation" : " violations");
        int number = 1;
        for (Violation violation : violations) {
            out.append("\n\n").append(number++).append(") ").append(violation.kind()).append(": ").append(violation.subject());
            if (!violation.where().isEmpty()) {
                out.append("\n     ").append(violation.where());
            }
            for (String line : violation.details().split("\n")) {
                if (!line.isEmpty()) {
                    out.append("\n     ").append(line);
                }
            }
            if (!violation.hint().isEmpty()) {
                out.append("\n     fix: ").append(violation.hint());
            }
        }
        out.append("\n\n(").append(inventory(report)).append(')');
        return out.toString();
    }

    private static String headline(ShutdownReport report) {
        String trigger;
        if (report.container().isPresent() && report.trigger() == ShutdownTrigger.SIGTERM) {
            trigger = "after docker stop (SIGTERM, grace period " + Durations.format(report.gracePeriod()) + ")";
        } else if (report.trigger() == ShutdownTrigger.MAIN_RETURN) {
            trigger = "after main returned" + (report.jvmExits() ? "" : " (the JVM would not exit within the exit timeout of "
                    + Durations.format(report.exitTimeout()) + ")");
        } else if (report.trigger() == ShutdownTrigger.EXIT) {
            trigger = "after System.exit(" + report.exitStatus().orElse(0) + ") (grace period " + Durations.format(report.gracePeriod()) + ")";
        } else {
            trigger = "after SIGTERM (grace period " + Durations.format(report.gracePeriod()) + ")";
        }
        return "Graceful shutdown " + trigger;
    }

    private static String container(ShutdownReport report, ShutdownReport.Container container) {
        String ended;
        if (report.trigger() != ShutdownTrigger.SIGTERM) {
            ended = report.jvmExits() ? "exited by itself with code " + container.exitCode() + " after " + container.took().toMillis() + " ms"
                    : "did not exit within the exit timeout of " + Durations.format(report.exitTimeout())
                            + ", killed (SIGKILL, exit code " + container.exitCode() + ")";
        } else {
            ended = "exit code " + container.exitCode()
                    + (container.gracePeriodExceeded() ? ", killed (SIGKILL) when the grace period ended"
                            : container.killed() ? ", killed (SIGKILL)" : "")
                    + ", docker stop took " + container.took().toMillis() + " ms";
        }
        return "container " + container.name() + ": " + ended
                + (container.coarse() ? "; COARSE verdict, only the exit code and the timing were seen: "
                        + container.coarseBecause() : "");
    }

    private static String inventory(ShutdownReport report) {
        String jvm = report.forkedJvm().map(forked -> "forked JVM: "
                + (forked.exitCode() == null ? "never exited" : "exit code " + forked.exitCode())
                + (forked.killed() ? ", killed (SIGKILL)" : "") + ", ran " + forked.runTime().toMillis() + " ms; ").orElse("");
        String container = report.container().map(c -> container(report, c)).orElse("");
        if (report.container().filter(ShutdownReport.Container::coarse).isPresent()) {
            return container + "; shutdown took " + report.timings().total().toMillis() + " ms";
        }
        return jvm + container + (container.isEmpty() ? "" : "; ") + "captured " + report.threads().size() + " threads, " + report.executors().size() + " executors, "
                + report.tasks().size() + " tasks, " + report.hooks().size() + " hooks; shutdown took "
                + report.timings().total().toMillis() + " ms";
    }

}
