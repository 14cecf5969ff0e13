package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.ShutdownReport;
import dev.gracefulshutdown.internal.report.timeline.Timeline;
import dev.gracefulshutdown.internal.report.timeline.TimelineFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit side of the shutdown timeline: its configuration parameters, writing the page for a test, and telling
 * the user where it is (the failure message's last line, a report entry, a file attachment).
 */
public final class Timelines {

    /** The report entry that holds the page's path. */
    static final String ENTRY = "gracefulshutdown.timeline";

    /**
     * The resolved configuration.
     *
     * @param when for which tests a page is written
     * @param directory where
     */
    public record Options(TimelineFiles.When when, Path directory) {
    }

    private Timelines() {
    }

    /** Both parameters, validated before anything runs: a bad value fails the test naming the parameter and the value. */
    public static Options resolve(ExtensionContext context) {
        TimelineFiles.When when = context.getConfigurationParameter(GracefulShutdownTest.TIMELINE_PROPERTY)
                .filter(value -> !value.isBlank()).map(value -> {
                    try {
                        return TimelineFiles.When.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new ExtensionConfigurationException("configuration parameter " + GracefulShutdownTest.TIMELINE_PROPERTY
                                + " = \"" + value + "\": " + e.getMessage() + " (for which tests the shutdown timeline is written)", e);
                    }
                }).orElse(TimelineFiles.When.FAILING);
        String directory = context.getConfigurationParameter(GracefulShutdownTest.TIMELINE_DIR_PROPERTY)
                .filter(value -> !value.isBlank()).orElse(GracefulShutdownTest.DEFAULT_TIMELINE_DIR);
        Path path;
        try {
            path = Path.of(directory.trim());
        } catch (InvalidPathException e) {
            throw new ExtensionConfigurationException("configuration parameter " + GracefulShutdownTest.TIMELINE_DIR_PROPERTY
                    + " = \"" + directory + "\": not a valid directory path: " + e.getReason(), e);
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new ExtensionConfigurationException("configuration parameter " + GracefulShutdownTest.TIMELINE_DIR_PROPERTY
                    + " = \"" + directory + "\": " + path.toAbsolutePath() + " is a file, not a directory");
        }
        return new Options(when, path);
    }

    /**
     * Writes the test's page if the options say so, and publishes its path as the {@value #ENTRY} report entry and
     * the page itself as a file attachment. A page that cannot be written never hides the verdict: the reason is
     * published instead.
     *
     * @return the page, or {@code null} when none was written
     */
    public static Path write(ExtensionContext context, Options options, ShutdownReport report, boolean failing) {
        if (options == null || !options.when().writes(failing)) {
            return null;
        }
        Path page;
        try {
            page = TimelineFiles.write(options.directory(), TimelineFiles.stem(context.getUniqueId()),
                    Timeline.of(title(context), report)).toAbsolutePath();
        } catch (IOException | RuntimeException e) {
            context.publishReportEntry(ENTRY, "the shutdown timeline could not be written to "
                    + options.directory().toAbsolutePath() + ": " + e);
            return null;
        }
        context.publishReportEntry(ENTRY, page.toString());
        try {
            context.publishFile(page.getFileName().toString(), MediaType.create("text", "html", StandardCharsets.UTF_8),
                    into -> Files.copy(page, into));
        } catch (RuntimeException | LinkageError e) {
            // an attachment is a convenience: the page is on disk and its path in the report entry
        }
        return page;
    }

    /** The test as the page names it: {@code OrderTest.drains}, and the invocation's name for a repeated or parameterized one. */
    private static String title(ExtensionContext context) {
        String method = context.getTestMethod().map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
                .orElse(context.getDisplayName());
        boolean invocation = context.getTestMethod().map(m -> !context.getDisplayName().startsWith(m.getName() + "("))
                .orElse(false);
        return invocation ? method + " " + context.getDisplayName() : method;
    }

    /** The verdict, its message ending with the page's path; the verdict itself when there is no page. */
    public static AssertionError pointingTo(AssertionError verdict, Path page) {
        if (verdict == null || page == null) {
            return verdict;
        }
        AssertionError withPage = new AssertionError(verdict.getMessage() + "\n\nShutdown timeline: " + page,
                verdict.getCause());
        withPage.setStackTrace(verdict.getStackTrace());
        for (Throwable suppressed : verdict.getSuppressed()) {
            withPage.addSuppressed(suppressed);
        }
        return withPage;
    }
}
