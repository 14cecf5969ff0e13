package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The shutdown timeline page, written through the JUnit Platform as users get it. */
class TimelineTest {

    @TempDir
    Path directory;

    @Test
    void aFailingTestGetsAWellFormedPageWithALanePerThreadTheMarksAndItsViolations() throws Exception {
        EngineExecutionResults results = Fixtures.run(TimelineTestCases.class, GracefulShutdownTest.TIMELINE_DIR_PROPERTY,
                directory.toString());
        Events tests = results.testEvents();
        String message = Fixtures.failureMessage(tests, "hookOutrunsTheGracePeriod");
        ShutdownReport report = TimelineTestCases.report;
        assertThat(report.violationKinds()).containsExactlyInAnyOrder(Violation.Kind.ABANDONED_TASK,
                Violation.Kind.DROPPED_TASK, Violation.Kind.HOOK_TIMEOUT);

        Path page = directory.resolve("dev.gracefulshutdown.TimelineTest_TimelineTestCases.hookOutrunsTheGracePeriod.html");
        assertThat(page).exists();
        assertThat(message).endsWith("\n\nShutdown timeline: " + page.toAbsolutePath());
        assertThat(entries(results, "gracefulshutdown.timeline")).containsExactly(page.toAbsolutePath().toString());
        assertThat(directory.resolve("dev.gracefulshutdown.TimelineTest_TimelineTestCases.hookOutrunsTheGracePeriod.trace.json"))
                .content().contains("\"traceEvents\"", "\"thread_name\"", "export-worker", "halt");

        Document html = parse(page);
        List<String> laneNames = texts(html, "//*[local-name()='g'][@class='lanegroup']/*[local-name()='text'][@class='name']");
        List<String> threads = report.threads().stream().map(CapturedThread::name).toList();
        assertThat(laneNames).containsAll(threads).contains("ThreadPoolExecutor#1").hasSize(threads.size() + 1);
        assertThat(laneNames.indexOf("drain-on-shutdown")).isEqualTo(laneNames.size() - 1); // hooks at the bottom

        List<String> marks = texts(html, "//*[local-name()='text'][contains(@class,'marklabel')]");
        assertThat(marks).containsExactly("SIGTERM", "hooks run", "grace period (400 ms) ends", "halt");
        assertThat(xpath(html, "//*[@class='lanegroup']//*[local-name()='rect'][@class='cut']").getLength()).isEqualTo(2); // the task and the hook

        NodeList violations = xpath(html, "//*[local-name()='li'][starts-with(@id,'violation-')]");
        assertThat(violations.getLength()).isEqualTo(report.violations().size());
        for (int i = 0; i < violations.getLength(); i++) {
            Element item = (Element) violations.item(i);
            Violation violation = report.violations().get(i);
            assertThat(item.getTextContent()).contains(violation.kind().name(), violation.subject(), violation.hint());
            String lane = xpath(item, ".//*[local-name()='a']").getLength() == 0 ? null
                    : ((Element) xpath(item, ".//*[local-name()='a']").item(0)).getAttribute("href").substring(1);
            assertThat(lane).as("the lane of %s", violation).isNotNull();
            Element laneGroup = (Element) xpath(html, "//*[@id='" + lane + "']").item(0);
            assertThat(xpath(laneGroup, ".//*[local-name()='a'][@href='#violation-" + (i + 1) + "']").getLength())
                    .as("a badge on the lane that links back to violation %d", i + 1).isEqualTo(1);
        }
        Element abandonedLane = (Element) xpath(html, "//*[@id='" + laneOf(html, "HOOK_TIMEOUT") + "']").item(0);
        assertThat(abandonedLane.getTextContent()).contains("drain-on-shutdown");
    }

    @Test
    void aForkedTestsPageIsDrawnFromTheRecordingOfTheRealShutdown() throws Exception {
        Events tests = Fixtures.tests(HookViolationsTest.TimeoutTestCases.class, GracefulShutdownTest.FORK_ALL_PROPERTY, "true",
                GracefulShutdownTest.TIMELINE_DIR_PROPERTY, directory.toString());
        String message = Fixtures.failureMessage(tests, "hookAwaitsLongerThanTheGracePeriod");

        Path page = directory.resolve("dev.gracefulshutdown.HookViolationsTest_TimeoutTestCases.hookAwaitsLongerThanTheGracePeriod.html");
        assertThat(message).contains("forked JVM: exit code 137").endsWith("Shutdown timeline: " + page.toAbsolutePath());
        Document html = parse(page);
        assertThat(texts(html, "//*[local-name()='g'][@class='lanegroup']/*[local-name()='text'][@class='name']"))
                .contains("drain-reports").anyMatch(name -> name.startsWith("pool-"));
        assertThat(texts(html, "//*[local-name()='text'][contains(@class,'marklabel')]"))
                .containsExactly("SIGTERM", "hooks run", "grace period (200 ms) ends", "halt (killed, SIGKILL)");
        assertThat(laneOf(html, "HOOK_TIMEOUT")).isNotNull();
        assertThat(laneOf(html, "ABANDONED_TASK")).isNotNull();
    }

    @Test
    void aPassingTestGetsAPageOnlyWhenAskedForEveryTest() throws Exception {
        Fixtures.assertPassed(Fixtures.tests(CleanTestCases.class, GracefulShutdownTest.TIMELINE_DIR_PROPERTY,
                directory.toString()), "drainsItsPool");
        assertThat(directory).isEmptyDirectory();

        EngineExecutionResults all = Fixtures.run(CleanTestCases.class, GracefulShutdownTest.TIMELINE_DIR_PROPERTY,
                directory.toString(), GracefulShutdownTest.TIMELINE_PROPERTY, "all");
        Fixtures.assertPassed(all.testEvents(), "drainsItsPool");
        Path page = directory.resolve("dev.gracefulshutdown.TimelineTest_CleanTestCases.drainsItsPool.html");
        assertThat(page).exists();
        assertThat(entries(all, "gracefulshutdown.timeline")).containsExactly(page.toAbsolutePath().toString());
        assertThat(texts(parse(page), "//*[contains(@class,'verdict')]")).singleElement().asString().startsWith("clean shutdown");
    }

    @Test
    void offWritesNothingEvenForAFailingTest() {
        Events tests = Fixtures.tests(TimelineTestCases.class, GracefulShutdownTest.TIMELINE_DIR_PROPERTY,
                directory.toString(), GracefulShutdownTest.TIMELINE_PROPERTY, "off");
        assertThat(Fixtures.failureMessage(tests, "hookOutrunsTheGracePeriod")).doesNotContain("Shutdown timeline");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void aBadValueIsAConfigurationErrorNamingTheParameterAndTheValue() {
        Events tests = Fixtures.tests(CleanTestCases.class, GracefulShutdownTest.TIMELINE_PROPERTY, "sometimes");
        assertThat(Fixtures.failure(tests, "drainsItsPool")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("configuration parameter gracefulshutdown.timeline = \"sometimes\": must be one of failing, all, "
                        + "off (for which tests the shutdown timeline is written)");
    }

    @Test
    void aDirectoryThatIsAFileIsAConfigurationError() throws Exception {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "");
        Events tests = Fixtures.tests(CleanTestCases.class, GracefulShutdownTest.TIMELINE_DIR_PROPERTY, file.toString());
        assertThat(Fixtures.failure(tests, "drainsItsPool")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("configuration parameter gracefulshutdown.timeline.dir = \"" + file + "\": ")
                .hasMessageEndingWith("is a file, not a directory");
    }

    private static String laneOf(Document html, String kind) throws Exception {
        NodeList items = xpath(html, "//*[local-name()='li'][starts-with(@id,'violation-')]");
        for (int i = 0; i < items.getLength(); i++) {
            Element item = (Element) items.item(i);
            if (item.getTextContent().contains(kind)) {
                return ((Element) xpath(item, ".//*[local-name()='a']").item(0)).getAttribute("href").substring(1);
            }
        }
        throw new AssertionError("no violation " + kind);
    }

    private static List<String> entries(EngineExecutionResults results, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .flatMap(e -> e.getPayload(ReportEntry.class).stream())
                .map(ReportEntry::getKeyValuePairs).map(Map::entrySet).flatMap(java.util.Set::stream)
                .filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }

    static Document parse(Path page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(Files.newInputStream(page));
    }

    static NodeList xpath(Object node, String expression) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, node, XPathConstants.NODESET);
    }

    static List<String> texts(Document html, String expression) throws Exception {
        NodeList nodes = xpath(html, expression);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    static class TimelineTestCases {
        static volatile ShutdownReport report;

        /** A task completes; one runs into the halt; one queued behind it never starts; the hook outruns the grace period. */
        @Test
        @GracefulShutdownTest(gracePeriod = "400ms")
        void hookOutrunsTheGracePeriod(ShutdownSimulator simulator) throws Exception {
            AtomicInteger workers = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(1, task -> new Thread(task, "export-worker-" + workers.incrementAndGet()));
            pool.submit(() -> { }).get();
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                LingeringThreadTest.await(new CountDownLatch(1));
            });
            pool.execute(() -> { });
            Thread loader = new Thread(() -> { }, "cache-loader");
            loader.start();
            loader.join();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdown();
                try {
                    pool.awaitTermination(1, TimeUnit.HOURS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "drain-on-shutdown"));
            started.await();
            report = simulator.sigterm();
        }
    }

    static class CleanTestCases {
        @Test
        @GracefulShutdownTest
        void drainsItsPool() {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            pool.execute(() -> { });
            Runtime.getRuntime().addShutdownHook(Work.drainOnShutdown(pool, new CountDownLatch(1)));
        }
    }
}
