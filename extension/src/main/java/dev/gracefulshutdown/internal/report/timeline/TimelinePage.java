package dev.gracefulshutdown.internal.report.timeline;

import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.internal.text.Durations;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Bar;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Flagged;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Lane;
import dev.gracefulshutdown.internal.report.timeline.Timeline.Mark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A {@link Timeline} as one self-contained page: inline SVG and CSS, no script, nothing fetched. It is also
 * well-formed XML (XHTML), so a test can parse it. Each bar and lane has a tooltip ({@code <title>}); each violation
 * links to its lane and back.
 */
public final class TimelinePage {

    private static final long NOT_SEEN = CapturedThread.NOT_SEEN;
    private static final int LABELS = 330;
    private static final int CHART = 900;
    private static final int RIGHT = 120;
    private static final int LANE = 38;
    private static final int MARK_ROW = 15;
    private static final double CHAR = 7.2;

    private final Timeline timeline;
    private final StringBuilder out = new StringBuilder(32 * 1024);
    private long from;
    private long to;

    private TimelinePage(Timeline timeline) {
        this.timeline = timeline;
    }

    /** The page, as UTF-8 text. */
    public static String render(Timeline timeline) {
        return new TimelinePage(timeline).page();
    }

    private String page() {
        out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>").append(text("Shutdown timeline: " + timeline.title())).append("</title>\n<style>")
                .append(STYLE).append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(text(timeline.title())).append("</h1>\n");
        out.append("<p class=\"verdict ").append(timeline.report().isClean() ? "clean" : "failed").append("\">")
                .append(text(headline())).append("</p>\n");
        if (timeline.hasMoments()) {
            scale();
            legend();
            chart();
        } else {
            out.append("<p>No moments were recorded for this shutdown (a verdict seen only from outside, or a recording "
                    + "of an older kit): there is no timeline to draw.</p>\n");
        }
        violations();
        out.append("<details><summary>The failure message, as the test printed it</summary><pre>")
                .append(text(timeline.report().toString())).append("</pre></details>\n");
        out.append("<p class=\"foot\">graceful-shutdown-junit · times are since the test's capture opened; hover a bar "
                + "for its details.</p>\n</body>\n</html>\n");
        return out.toString();
    }

    private String headline() {
        int count = timeline.violations().size();
        String verdict = count == 0 ? "clean shutdown" : count + (count == 1 ? " violation" : " violations");
        String status = timeline.report().exitStatus().map(s -> "exit status " + s).orElse("the JVM would not exit");
        Long triggered = timeline.marks().stream().filter(m -> m.kind() == Timeline.MarkKind.TRIGGER).map(Mark::at).findFirst()
                .orElse(null);
        String took = triggered != null && timeline.halt() != NOT_SEEN
                ? (timeline.report().jvmExits() ? "halt " : "verdict ") + Timeline.millis(timeline.halt() - triggered) + " after the trigger"
                : "shutdown took " + Timeline.millis(timeline.report().timings().total().toNanos());
        return verdict + " · trigger " + timeline.report().trigger() + " · " + status + " · grace period "
                + Durations.format(timeline.report().gracePeriod()) + " · " + took;
    }

    /** The chart spans every moment drawn, from the first to the halt or the last end. */
    private void scale() {
        long first = Long.MAX_VALUE;
        long last = 0;
        List<Long> moments = new ArrayList<>();
        for (Lane lane : timeline.lanes()) {
            moments.add(lane.start());
            moments.add(lane.end());
            for (Bar bar : lane.bars()) {
                moments.add(bar.submitted());
                moments.add(bar.start());
                moments.add(bar.end());
            }
        }
        for (Mark mark : timeline.marks()) {
            if (!mark.offChart()) {
                moments.add(mark.at());
                moments.add(mark.end());
            }
        }
        for (long moment : moments) {
            if (moment != NOT_SEEN) {
                first = Math.min(first, moment);
                last = Math.max(last, moment);
            }
        }
        long span = Math.max(last - first, 1_000_000);
        from = Math.max(0, first - span / 40);
        to = last + span / 40;
    }

    private double x(long nanos) {
        return LABELS + (nanos - from) * (double) CHART / (to - from);
    }

    private void legend() {
        out.append("<p class=\"legend\">")
                .append(swatch("queued", "queued (submitted, not yet running)"))
                .append(swatch("completed", "task ran and completed"))
                .append(swatch("failed", "failed"))
                .append(swatch("interrupted", "interrupted"))
                .append(swatch("cut", "cut off by the halt"))
                .append(swatch("hook", "shutdown hook running"))
                .append(swatch("life", "thread alive"))
                .append(swatch("flag", "about a violation"))
                .append("<span class=\"key\"><span class=\"badge-inline\">!1</span> a violation, listed below the chart "
                        + "(click); hover a bar for its details</span>")
                .append("</p>\n");
    }

    private static String swatch(String css, String label) {
        return "<span class=\"key\"><svg width=\"22\" height=\"12\"><rect class=\"" + css + "\" x=\"1\" y=\""
                + (css.equals("queued") || css.equals("life") ? 5 : 1) + "\" width=\"20\" height=\""
                + (css.equals("queued") || css.equals("life") ? 3 : 10) + "\"/></svg>" + text(label) + "</span>";
    }

    private void chart() {
        List<Mark> marks = timeline.marks();
        List<Integer> rows = labelRows(marks);
        int markRows = rows.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int axis = 18;
        int top = markRows * MARK_ROW + axis + 6;
        int height = top + timeline.lanes().size() * LANE + 10;
        int width = LABELS + CHART + RIGHT;
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n")
                .append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                        + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f4c7c3\"/>"
                        + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c62828\" stroke-width=\"3\"/></pattern></defs>\n");
        lanesBackground(top, width);
        hookSpans(top, height);
        ticks(top - 4, height, markRows * MARK_ROW);
        for (int i = 0; i < timeline.lanes().size(); i++) {
            lane(timeline.lanes().get(i), top + i * LANE);
        }
        marks(marks, rows, top, height);
        out.append("</svg>\n");
    }

    private void lanesBackground(int top, int width) {
        for (int i = 0; i < timeline.lanes().size(); i++) {
            Lane lane = timeline.lanes().get(i);
            String css = !lane.violations().isEmpty() ? "lane flagged" : i % 2 == 0 ? "lane even" : "lane odd";
            out.append("<rect class=\"").append(css).append("\" x=\"0\" y=\"").append(top + i * LANE).append("\" width=\"")
                    .append(width).append("\" height=\"").append(LANE).append("\"/>\n");
        }
    }

    private void hookSpans(int top, int height) {
        for (Mark mark : timeline.marks()) {
            if (mark.kind() == Timeline.MarkKind.HOOKS) {
                out.append("<rect class=\"hookspan\" x=\"").append(f(x(mark.at()))).append("\" y=\"").append(top)
                        .append("\" width=\"").append(f(Math.max(1, x(mark.end()) - x(mark.at())))).append("\" height=\"")
                        .append(height - top).append("\"/>\n");
            }
        }
    }

    /** Ticks on a 1-2-5 step, labelled relative to the trigger when it is known. */
    private void ticks(int y, int height, int markArea) {
        long zero = timeline.marks().stream().filter(m -> m.kind() == Timeline.MarkKind.TRIGGER).mapToLong(Mark::at)
                .findFirst().orElse(0);
        long target = (to - from) / 8;
        long step = 1000;
        for (long unit = 1000; step < target; unit *= 10) {
            for (long multiple : new long[] {1, 2, 5}) {
                step = unit * multiple;
                if (step >= target) {
                    break;
                }
            }
        }
        long firstTick = Math.floorDiv(from - zero, step) * step + zero;
        for (long tick = firstTick; tick <= to; tick += step) {
            if (tick < from) {
                continue;
            }
            double at = x(tick);
            out.append("<line class=\"tick\" x1=\"").append(f(at)).append("\" y1=\"").append(y).append("\" x2=\"").append(f(at))
                    .append("\" y2=\"").append(height).append("\"/>")
                    .append("<text class=\"ticklabel\" x=\"").append(f(at)).append("\" y=\"").append(y - 3).append("\">")
                    .append(text((tick - zero > 0 ? "+" : "") + Timeline.millis(tick - zero))).append("</text>\n");
        }
        out.append("<text class=\"axisname\" x=\"").append(LABELS - 8).append("\" y=\"").append(y - 3).append("\">")
                .append(zero == 0 ? "since the test began" : "since the trigger").append("</text>\n");
    }

    /** Each mark's label goes in the first row where it overlaps no label already placed. */
    private List<Integer> labelRows(List<Mark> marks) {
        List<Integer> rows = new ArrayList<>();
        List<double[]> placed = new ArrayList<>();
        for (Mark mark : marks) {
            double start = labelStart(mark);
            double end = start + mark.label().length() * CHAR + 8;
            int row = 0;
            while (true) {
                int candidate = row;
                if (placed.stream().noneMatch(p -> p[2] == candidate && p[0] < end && start < p[1])) {
                    break;
                }
                row++;
            }
            placed.add(new double[] {start, end, row});
            rows.add(row);
        }
        return rows;
    }

    private double labelStart(Mark mark) {
        double at = mark.offChart() ? LABELS + CHART : x(mark.at());
        double width = mark.label().length() * CHAR;
        return Math.min(at + 3, LABELS + CHART + RIGHT - width);
    }

    private void marks(List<Mark> marks, List<Integer> rows, int top, int height) {
        for (int i = 0; i < marks.size(); i++) {
            Mark mark = marks.get(i);
            String kind = mark.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
            String css = "mark " + kind;
            int labelY = (rows.get(i) + 1) * MARK_ROW - 3;
            if (!mark.offChart()) {
                double at = x(mark.at());
                out.append("<line class=\"").append(css).append("\" x1=\"").append(f(at)).append("\" y1=\"").append(labelY - 9)
                        .append("\" x2=\"").append(f(at)).append("\" y2=\"").append(height).append("\"><title>")
                        .append(text(mark.label() + " at " + Timeline.millis(mark.at()))).append("</title></line>\n");
            }
            out.append("<text class=\"marklabel ml-").append(kind).append("\" x=\"").append(f(labelStart(mark))).append("\" y=\"")
                    .append(labelY).append("\">").append(text((mark.offChart() ? "→ " : "") + mark.label())).append("</text>\n");
        }
    }

    private void lane(Lane lane, int y) {
        int middle = y + LANE / 2;
        out.append("<g id=\"").append(lane.id()).append("\" class=\"lanegroup\">");
        CapturedThread thread = lane.thread();
        out.append("<title>").append(text(lane.name() + ": " + lane.detail() + (thread == null ? "" : " · "
                + (thread.alive() ? thread.state() + " at the halt" : "ended") + " · started at " + thread.creationSite().where())))
                .append("</title>");
        out.append("<text class=\"name\" x=\"8\" y=\"").append(y + 15).append("\">").append(text(clip(lane.name(), 44)))
                .append("</text>");
        out.append("<text class=\"detail\" x=\"8\" y=\"").append(y + 30).append("\">").append(text(clip(lane.detail(), 52)))
                .append("</text>");
        double badgeX = LABELS - 8;
        for (int n = lane.violations().size() - 1; n >= 0; n--) {
            int number = lane.violations().get(n);
            String label = "!" + number;
            double w = label.length() * 7 + 8;
            badgeX -= w + 3;
            out.append("<a href=\"#violation-").append(number).append("\"><rect class=\"badge\" x=\"").append(f(badgeX))
                    .append("\" y=\"").append(y + 4).append("\" rx=\"3\" width=\"").append(f(w)).append("\" height=\"15\"/>")
                    .append("<text class=\"badgetext\" x=\"").append(f(badgeX + w / 2)).append("\" y=\"").append(y + 15)
                    .append("\">").append(label).append("</text></a>");
        }
        long halt = timeline.halt();
        if (lane.start() != NOT_SEEN) {
            long end = lane.end() != NOT_SEEN ? lane.end() : halt != NOT_SEEN ? halt : to;
            out.append("<rect class=\"life\" x=\"").append(f(x(lane.start()))).append("\" y=\"").append(middle - 1)
                    .append("\" width=\"").append(f(Math.max(1, x(end) - x(lane.start())))).append("\" height=\"3\"/>");
            if (lane.end() != NOT_SEEN && lane.bars().isEmpty()) {
                out.append("<text class=\"stopped\" x=\"").append(f(Math.max(x(end), x(lane.start()) + 1) + 4)).append("\" y=\"")
                        .append(middle + 4).append("\">").append(text("ended after " + Timeline.millis(lane.end() - lane.start())))
                        .append("</text>");
            }
            if (lane.aliveAtHalt() && halt != NOT_SEEN && timeline.report().jvmExits()) {
                boolean working = lane.thread().activity() == CapturedThread.Activity.WORKING
                        || lane.kind() == Timeline.LaneKind.HOOK;
                out.append("<text class=\"").append(working ? "killed" : "stopped").append("\" x=\"").append(f(x(halt) + 3))
                        .append("\" y=\"").append(middle + 4).append("\">").append(working ? "✕ killed mid-work" : "stopped (idle)")
                        .append("</text>");
            }
        }
        for (Bar bar : lane.bars()) {
            bar(bar, middle);
        }
        out.append("</g>\n");
    }

    private void bar(Bar bar, int middle) {
        long halt = timeline.halt();
        String flagged = bar.violations().isEmpty() ? "" : " flag";
        String tooltip = bar.label() + " · " + bar.description() + " · " + bar.outcome()
                + (bar.submitted() != NOT_SEEN ? " · submitted " + Timeline.millis(bar.submitted()) : "")
                + (bar.start() != NOT_SEEN ? " · started " + Timeline.millis(bar.start()) : " · never started")
                + (bar.end() != NOT_SEEN ? " · ended " + Timeline.millis(bar.end()) : bar.start() != NOT_SEEN
                        && !bar.cutOff() && !"RUNNING".equals(bar.outcome()) ? " · its end was not seen" : "")
                + (bar.violations().isEmpty() ? "" : " · violation " + bar.violations().stream().map(n -> "!" + n)
                        .collect(Collectors.joining(", ")));
        out.append("<g class=\"bar\"><title>").append(text(tooltip)).append("</title>");
        long queuedUntil = bar.start() != NOT_SEEN ? bar.start() : bar.end() != NOT_SEEN ? bar.end() : halt;
        if (bar.submitted() != NOT_SEEN && queuedUntil != NOT_SEEN) {
            String css = bar.start() == NOT_SEEN ? "queued lost" + flagged : "queued";
            out.append("<rect class=\"").append(css).append("\" x=\"").append(f(x(bar.submitted()))).append("\" y=\"")
                    .append(middle - 1).append("\" width=\"").append(f(Math.max(2, x(queuedUntil) - x(bar.submitted()))))
                    .append("\" height=\"3\"/>");
            if (bar.start() == NOT_SEEN) {
                out.append("<text class=\"barlabel lostlabel\" x=\"").append(f(x(bar.submitted()) + 2)).append("\" y=\"")
                        .append(middle - 4).append("\">").append(text(bar.label() + " " + neverStarted(bar.outcome())))
                        .append("</text>");
            }
        }
        if (bar.start() != NOT_SEEN) {
            long end = bar.end() != NOT_SEEN ? bar.end() : bar.cutOff() || "RUNNING".equals(bar.outcome())
                    ? (halt != NOT_SEEN ? halt : to) : bar.start();
            String css = bar.kind() == Timeline.BarKind.HOOK ? "hook" : switch (bar.outcome()) {
                case "FAILED" -> "failed";
                case "INTERRUPTED" -> "interrupted";
                case "RUNNING" -> "completed";
                default -> "completed";
            };
            double left = x(bar.start());
            double width = Math.max(2, x(end) - left);
            out.append("<rect class=\"").append(css).append(flagged).append("\" x=\"").append(f(left)).append("\" y=\"")
                    .append(middle - 7).append("\" width=\"").append(f(width)).append("\" height=\"14\" rx=\"2\"/>");
            if (bar.cutOff()) {
                double cut = Math.min(width, 14);
                out.append("<rect class=\"cut\" x=\"").append(f(left + width - cut)).append("\" y=\"").append(middle - 7)
                        .append("\" width=\"").append(f(cut)).append("\" height=\"14\"/>");
            }
            String label = bar.label() + (bar.cutOff() ? " ✂ cut off" : "");
            if (label.length() * CHAR < width - 6) {
                out.append("<text class=\"barlabel inside\" x=\"").append(f(left + 4)).append("\" y=\"").append(middle + 4)
                        .append("\">").append(text(label)).append("</text>");
            } else {
                out.append("<text class=\"barlabel\" x=\"").append(f(left)).append("\" y=\"").append(middle - 9).append("\">")
                        .append(text(label)).append("</text>");
            }
        }
        out.append("</g>");
    }

    private static String neverStarted(String outcome) {
        switch (outcome) {
            case "REJECTED": return "rejected";
            case "DISCARDED": return "thrown away, never ran";
            case "CANCELLED": return "cancelled before it started";
            default: return "queued, never started";
        }
    }

    private void violations() {
        if (timeline.violations().isEmpty()) {
            return;
        }
        out.append("<h2>Violations</h2>\n<ol class=\"violations\">\n");
        for (Flagged flagged : timeline.violations()) {
            Violation violation = flagged.violation();
            out.append("<li id=\"violation-").append(flagged.number()).append("\"><span class=\"badge-inline\">!")
                    .append(flagged.number()).append("</span> <b>").append(violation.kind()).append("</b>: ")
                    .append(text(violation.subject()));
            if (flagged.lane() != null) {
                out.append(" <a href=\"#").append(flagged.lane()).append("\">(show its lane)</a>");
            }
            out.append("<pre>");
            List<String> lines = new ArrayList<>();
            if (!violation.where().isEmpty()) {
                lines.add(violation.where());
            }
            for (String line : violation.details().split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            if (!violation.hint().isEmpty()) {
                lines.add("fix: " + violation.hint());
            }
            out.append(text(String.join("\n", lines))).append("</pre></li>\n");
        }
        out.append("</ol>\n");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** Text and attribute values, escaped for HTML and XML alike; characters XML forbids are dropped. */
    static String text(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<': escaped.append("&lt;"); break;
                case '>': escaped.append("&gt;"); break;
                case '&': escaped.append("&amp;"); break;
                case '"': escaped.append("&quot;"); break;
                case '\'': escaped.append("&#39;"); break;
                default:
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0xFFFE || c == 0xFFFF) {
                        escaped.append('?');
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                            && Character.isHighSurrogate(value.charAt(i - 1)))) {
                        escaped.append('?');
                    } else {
                        escaped.append(c);
                    }
            }
        }
        return escaped.toString();
    }

    private static final String STYLE = """
            body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 20px; color: #1f2328; }
            h1 { font-size: 18px; margin: 0 0 4px; font-family: ui-monospace, monospace; }
            h2 { font-size: 16px; margin: 20px 0 6px; }
            .verdict { margin: 0 0 10px; font-weight: 600; }
            .verdict.failed { color: #b42318; } .verdict.clean { color: #1a7f37; }
            .legend { font-size: 12px; color: #57606a; margin: 4px 0 8px; }
            .key { margin-right: 14px; white-space: nowrap; } .key svg { vertical-align: -1px; margin-right: 4px; }
            svg.chart { font: 12px system-ui, sans-serif; display: block; }
            .lane.even { fill: #ffffff; } .lane.odd { fill: #f6f8fa; } .lane.flagged { fill: #fff1f0; }
            .name { font-weight: 600; font-family: ui-monospace, monospace; font-size: 12px; fill: #1f2328; }
            .detail { font-size: 11px; fill: #57606a; }
            .tick { stroke: #d0d7de; stroke-width: 1; } .ticklabel { font-size: 11px; fill: #57606a; text-anchor: middle; }
            .axisname { font-size: 11px; fill: #57606a; text-anchor: end; }
            .life { fill: #8c959f; } .queued { fill: #b6bfc8; } .queued.lost { fill: #c62828; }
            .completed { fill: #4c78a8; } .failed { fill: #d62728; } .interrupted { fill: #f58518; }
            .hook { fill: #7b5ea7; } .cut { fill: url(#hatch); stroke: #c62828; stroke-width: 1; }
            .flag { stroke: #c62828; stroke-width: 2.5; }
            .legend .flag { fill: #ffffff; }
            .barlabel { font-size: 11px; fill: #1f2328; } .barlabel.inside { fill: #ffffff; font-weight: 600; }
            .lostlabel { fill: #b42318; font-weight: 600; }
            .killed { fill: #b42318; font-size: 11px; font-weight: 600; } .stopped { fill: #57606a; font-size: 11px; }
            .hookspan { fill: #7b5ea7; opacity: 0.08; }
            .mark { stroke-width: 1.5; } .mark.trigger { stroke: #1f2328; }
            .mark.hooks { stroke: #7b5ea7; stroke-dasharray: 2 3; } .mark.grace-period-end { stroke: #c62828; stroke-dasharray: 6 4; }
            .mark.halt { stroke: #1f2328; stroke-width: 3; }
            .marklabel { font-size: 12px; font-weight: 600; fill: #1f2328; }
            .ml-hooks { fill: #7b5ea7; } .ml-grace-period-end { fill: #c62828; }
            .badge { fill: #c62828; } .badgetext { fill: #ffffff; font-size: 11px; font-weight: 700; text-anchor: middle; }
            .badge-inline { background: #c62828; color: #fff; border-radius: 3px; padding: 0 5px; font-weight: 700; font-size: 12px; }
            g.lanegroup:target .name { fill: #c62828; text-decoration: underline; }
            .violations li { margin-bottom: 10px; } .violations li:target { background: #fff1f0; outline: 2px solid #c62828; }
            pre { background: #f6f8fa; padding: 8px; margin: 4px 0; white-space: pre-wrap; font-size: 12px; }
            .foot { color: #8c959f; font-size: 11px; margin-top: 16px; }
            """;
}
