package dev.gracefulshutdown.internal.report.timeline;

import dev.gracefulshutdown.internal.report.Finding;
import dev.gracefulshutdown.internal.report.Report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The renderer alone, on a report made by hand: what is drawn where, and that the page is well-formed. */
class TimelinePageTest {

    private static final long MS = 1_000_000;
    private static final long NOT_SEEN = CapturedThread.NOT_SEEN;
    private static final CallSite SITE = new CallSite(List.of(new StackTraceElement("app.Orders", "start", "Orders.java", 12)));

    @Test
    void lanesBarsMarksAndViolationsComeFromTheReport() {
        Timeline timeline = Timeline.of("OrdersTest.drains", report(143));

        assertThat(timeline.lanes()).extracting(Timeline.Lane::name)
                .containsExactly("orders-1", "<script>alert(1)</script> & \"quoted\"", "ThreadPoolExecutor#1", "flush-hook");
        assertThat(timeline.lanes()).extracting(Timeline.Lane::kind).containsExactly(Timeline.LaneKind.THREAD,
                Timeline.LaneKind.THREAD, Timeline.LaneKind.NEVER_STARTED, Timeline.LaneKind.HOOK);
        assertThat(timeline.lanes().get(0).detail()).isEqualTo("worker of ThreadPoolExecutor#1 · non-daemon");
        assertThat(timeline.lanes().get(0).bars()).extracting(Timeline.Bar::label, Timeline.Bar::cutOff)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("task#1", false), org.assertj.core.groups.Tuple.tuple("task#2", true));
        assertThat(timeline.marks()).extracting(Timeline.Mark::kind).containsExactly(Timeline.MarkKind.TRIGGER,
                Timeline.MarkKind.HOOKS, Timeline.MarkKind.HALT, Timeline.MarkKind.GRACE_PERIOD_END);
        Timeline.Mark grace = timeline.marks().get(3);
        assertThat(grace.offChart()).isTrue();
        assertThat(grace.label()).isEqualTo("grace period (30 s) ends later, at 30 s after the trigger");
        assertThat(timeline.marks().get(1).end()).isEqualTo(130 * MS);

        assertThat(timeline.violations()).extracting(Timeline.Flagged::lane).containsExactly("lane-1", "lane-3", "lane-4");
        assertThat(timeline.lanes().get(0).violations()).containsExactly(1);
        assertThat(timeline.lanes().get(0).bars().get(1).violations()).containsExactly(1);
    }

    @Test
    void whenTheJvmWouldNotExitNothingIsCutOffAndTheLastMarkIsTheVerdict() {
        Timeline timeline = Timeline.of("OrdersTest.lingers", report(null));

        assertThat(timeline.lanes().get(0).bars()).noneMatch(Timeline.Bar::cutOff);
        assertThat(timeline.marks()).filteredOn(m -> m.kind() == Timeline.MarkKind.HALT).extracting(Timeline.Mark::label)
                .containsExactly("verdict: the JVM would not exit");
        assertThat(TimelinePage.render(timeline)).contains("the JVM would not exit · grace period 30 s · verdict 40 ms after the trigger")
                .doesNotContain("killed mid-work");
    }

    @Test
    void thePageIsWellFormedXmlWithEveryNameEscaped() throws Exception {
        String page = TimelinePage.render(Timeline.of("OrdersTest.drains <&>", report(143)));

        Document html = parse(page);
        assertThat(count(html, "//*[@class='lanegroup']")).isEqualTo(4);
        assertThat(count(html, "//*[local-name()='li'][starts-with(@id,'violation-')]")).isEqualTo(3);
        assertThat(count(html, "//*[local-name()='script']")).isZero();
        assertThat(page).doesNotContain("src=", "href=\"http", "url(http", "@import").contains("<script>alert(1)</script>".replace("<", "&lt;").replace(">", "&gt;"));
        assertThat(page).contains(">SIGTERM<", ">hooks run<", ">halt<", "→ grace period (30 s) ends later");
        assertThat(page).contains("href=\"#lane-1\"", "href=\"#violation-1\"", "task#3 queued, never started");
    }

    @Test
    void aReportWithoutMomentsSaysSoInsteadOfDrawing() throws Exception {
        ShutdownReport coarse = new Report(ShutdownTrigger.SIGTERM, 137, Duration.ofSeconds(10), Duration.ofSeconds(10),
                List.of(new Finding(Violation.Kind.HOOK_TIMEOUT, "the application was still shutting down", "", "", "", Finding.About.NOTHING)),
                List.of(), List.of(), List.of(), List.of(), new ShutdownReport.Timings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10)));

        String page = TimelinePage.render(Timeline.of("Coarse", coarse));

        parse(page);
        assertThat(page).contains("No moments were recorded").doesNotContain("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"");
        assertThat(page).contains("HOOK_TIMEOUT");
    }

    @Test
    void theTraceEventsAreJsonForPerfetto() {
        String json = TraceEvents.render(Timeline.of("OrdersTest.drains", report(143)));

        assertThat(json).startsWith("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[")
                .contains("\"name\":\"thread_name\",\"args\":{\"name\":\"orders-1 (worker of ThreadPoolExecutor#1 \\u00b7 non-daemon)\"}")
                .contains("\"ph\":\"X\",\"pid\":1,\"tid\":1,\"name\":\"task#2 (cut off by the halt)\",\"cat\":\"task\",\"ts\":40000.000,\"dur\":100000.000")
                .contains("\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":0,\"name\":\"halt\",\"cat\":\"shutdown\",\"ts\":140000.000")
                .contains("\\\"quoted\\\"");
    }

    @Test
    void aTestsFileNameComesFromItsUniqueId() {
        assertThat(TimelineFiles.stem("[engine:junit-jupiter]/[class:app.OrdersTest]/[method:drains()]")).isEqualTo("app.OrdersTest.drains");
        assertThat(TimelineFiles.stem("[engine:junit-jupiter]/[class:app.OrdersTest]/[nested-class:WhenBusy]"
                + "/[test-template:retries(int)]/[test-template-invocation:#3]")).isEqualTo("app.OrdersTest.WhenBusy.retries.3");
        assertThat(TimelineFiles.stem("[engine:junit-jupiter]/[class:app.Orders$Test]/[method:a(b.C)]")).isEqualTo("app.Orders_Test.a");
        assertThat(TimelineFiles.stem("[engine:junit-jupiter]/[class:app.T]/[method:" + "x".repeat(300) + "()]")).hasSize(150);
    }

    /**
     * A pool worker ran task#1 and was cut off in task#2 (abandoned); task#3 never left the queue; a thread whose name
     * needs escaping ended before the trigger; a hook ran from 100 to 130 ms. Trigger at 100 ms, halt at 140 ms.
     */
    private static ShutdownReport report(Integer exitStatus) {
        List<CapturedThread> threads = new ArrayList<>();
        threads.add(new CapturedThread("orders-1", 21, false, false, CapturedThread.Role.POOL_WORKER, "ThreadPoolExecutor#1", "main",
                SITE, Thread.State.WAITING, List.of(), false, CapturedThread.Activity.WORKING, null, null, null, null, false,
                5 * MS, NOT_SEEN));
        threads.add(new CapturedThread("<script>alert(1)</script> & \"quoted\"", 22, true, false, CapturedThread.Role.APPLICATION,
                null, "main", SITE, Thread.State.TERMINATED, List.of(), false, CapturedThread.Activity.ENDED, null, null, null,
                null, false, 8 * MS, 20 * MS));
        threads.add(new CapturedThread("flush-hook", 23, false, false, CapturedThread.Role.HOOK, null, "main", SITE,
                Thread.State.TERMINATED, List.of(), false, CapturedThread.Activity.ENDED, null, null, null, null, false,
                100 * MS, 130 * MS));
        List<CapturedTask> tasks = List.of(
                task("task#1", CapturedTask.Outcome.COMPLETED, 21L, 4 * MS, 5 * MS, 30 * MS),
                task("task#2", CapturedTask.Outcome.RUNNING, 21L, 31 * MS, 40 * MS, NOT_SEEN),
                task("task#3", CapturedTask.Outcome.NEVER_STARTED, null, 32 * MS, NOT_SEEN, NOT_SEEN));
        List<CapturedHook> hooks = List.of(new CapturedHook("flush-hook", 23, SITE, CapturedHook.Outcome.COMPLETED,
                Duration.ofMillis(30), null, 100 * MS, 130 * MS));
        List<Finding> violations = List.of(
                new Finding(Violation.Kind.ABANDONED_TASK, "task Export (task#2) on ThreadPoolExecutor#1 was still running on "
                        + "thread \"orders-1\" when the JVM halted", "submitted at app.Orders.start(Orders.java:12)", "at the halt: WAITING", "await it", Finding.About.NOTHING),
                new Finding(Violation.Kind.DROPPED_TASK, "task Export (task#3) on ThreadPoolExecutor#1 was accepted but never started",
                        "", "", "drain the queue", Finding.About.NOTHING),
                new Finding(Violation.Kind.HOOK_FAILED, "shutdown hook \"flush-hook\" threw java.lang.IllegalStateException", "", "", "", Finding.About.NOTHING));
        List<CapturedExecutor> executors = List.of(new CapturedExecutor("ThreadPoolExecutor#1", "java.util.concurrent.ThreadPoolExecutor",
                SITE, 1, 1, Duration.ZERO, false, CapturedExecutor.ShutdownState.SHUTDOWN, SITE, false, null));
        return new Report(ShutdownTrigger.SIGTERM, exitStatus, Duration.ofSeconds(30), Duration.ofSeconds(10), violations, threads,
                executors, tasks, hooks, new ShutdownReport.Timings(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(40),
                        Duration.ofMillis(100), Duration.ofMillis(140)));
    }

    private static CapturedTask task(String id, CapturedTask.Outcome outcome, Long threadId, long submitted, long started, long ended) {
        return new CapturedTask(id, "Export", "ThreadPoolExecutor#1", SITE, outcome, threadId == null ? null : "orders-1", threadId,
                null, null, false, false, null, null, submitted, started, ended);
    }

    private static Document parse(String page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(Document html, String expression) throws Exception {
        return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, html, XPathConstants.NODESET)).getLength();
    }
}
