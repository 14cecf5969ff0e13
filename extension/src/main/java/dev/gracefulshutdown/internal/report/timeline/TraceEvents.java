package dev.gracefulshutdown.internal.report.timeline;

import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Bar;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Lane;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Mark;
import java.util.Locale;

/**
 * A {@link Timeline} in the Chrome trace-event format (JSON), which Perfetto ({@code ui.perfetto.dev}) and
 * {@code chrome://tracing} open: one track per lane, a slice per task and hook run (and per wait in a queue), the
 * shutdown's moments as global instant events. Times are microseconds since the test's capture opened.
 */
public final class TraceEvents {

    private static final long NOT_SEEN = CapturedThread.NOT_SEEN;

    private final StringBuilder out = new StringBuilder(8 * 1024);
    private boolean first = true;

    private TraceEvents() {
    }

    public static String render(Timeline timeline) {
        return new TraceEvents().json(timeline);
    }

    private String json(Timeline timeline) {
        out.append("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
        event("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":" + string(timeline.title()) + "}}");
        int tid = 1;
        for (Lane lane : timeline.lanes()) {
            event("{\"ph\":\"M\",\"pid\":1,\"tid\":" + tid + ",\"name\":\"thread_name\",\"args\":{\"name\":"
                    + string(lane.name() + " (" + lane.detail() + ")") + "}}");
            event("{\"ph\":\"M\",\"pid\":1,\"tid\":" + tid + ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":" + tid + "}}");
            for (Bar bar : lane.bars()) {
                long queuedUntil = bar.start() != NOT_SEEN ? bar.start() : bar.end() != NOT_SEEN ? bar.end() : timeline.halt();
                if (bar.submitted() != NOT_SEEN && queuedUntil != NOT_SEEN) {
                    slice(tid, "queued: " + bar.label(), "queue", bar.submitted(), queuedUntil, bar, lane);
                }
                if (bar.start() != NOT_SEEN) {
                    long end = bar.end() != NOT_SEEN ? bar.end() : timeline.halt() != NOT_SEEN ? timeline.halt() : bar.start();
                    slice(tid, bar.label() + (bar.cutOff() ? " (cut off by the halt)" : ""),
                            bar.kind() == Timeline.BarKind.HOOK ? "hook" : "task", bar.start(), end, bar, lane);
                }
            }
            tid++;
        }
        for (Mark mark : timeline.marks()) {
            if (!mark.offChart()) {
                event("{\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":0,\"name\":" + string(mark.label()) + ",\"cat\":\"shutdown\",\"ts\":"
                        + micros(mark.at()) + "}");
            }
        }
        out.append("\n]}\n");
        return out.toString();
    }

    private void slice(int tid, String name, String category, long start, long end, Bar bar, Lane lane) {
        event("{\"ph\":\"X\",\"pid\":1,\"tid\":" + tid + ",\"name\":" + string(name) + ",\"cat\":\"" + category + "\",\"ts\":"
                + micros(start) + ",\"dur\":" + micros(Math.max(0, end - start)) + ",\"args\":{\"description\":"
                + string(bar.description()) + ",\"outcome\":" + string(bar.outcome()) + ",\"violations\":"
                + string(bar.violations().toString()) + ",\"thread\":" + string(lane.name()) + "}}");
    }

    private void event(String json) {
        if (!first) {
            out.append(",\n");
        }
        first = false;
        out.append(json);
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1000.0);
    }

    static String string(String value) {
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
