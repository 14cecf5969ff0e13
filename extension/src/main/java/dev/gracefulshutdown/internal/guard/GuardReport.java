package dev.gracefulshutdown.internal.guard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The summary of a guarded run, for the console (one line per creation site), for people (a self-contained HTML
 * page) and for CI (JSON): leaks grouped by where the leaked thing was created, so that a pool created in one
 * service shows once with the tests that hit it; counts per kind; new, baselined and fixed; what the guard cost.
 */
final class GuardReport {

    /** The leaks of one creation site. */
    record Site(String key, String where, Map<Leak.Kind, Integer> kinds, Set<String> tests, List<GuardRun.Finding> findings,
            int fresh) {
    }

    private final int tests;
    private final long guardNanos;
    private final int parts;
    private final List<Site> sites;
    private final Map<Leak.Kind, Integer> kinds = new EnumMap<>(Leak.Kind.class);
    private final int total;
    private final int fresh;
    private final List<String> fixed;
    private final Path writtenTo;
    private final Path baseline;

    private GuardReport(Parts.Merged merged, List<Site> sites, List<String> fixed, Path writtenTo, Path baseline) {
        this.tests = merged.tests().size();
        this.guardNanos = merged.guardNanos();
        this.parts = merged.parts();
        this.sites = sites;
        this.fixed = fixed;
        this.writtenTo = writtenTo;
        this.baseline = baseline;
        merged.findings().forEach(f -> kinds.merge(f.leak().kind(), 1, Integer::sum));
        this.total = merged.findings().size();
        this.fresh = (int) merged.findings().stream().filter(f -> !f.baselined() && writtenTo == null).count();
    }

    static GuardReport of(Parts.Merged merged, Set<String> baselineBefore, Path writtenTo, Path baseline) {
        Map<String, List<GuardRun.Finding>> bySite = new LinkedHashMap<>();
        Set<String> keysNow = new TreeSet<>();
        for (GuardRun.Finding finding : merged.findings()) {
            bySite.computeIfAbsent(finding.leak().siteKey(), k -> new ArrayList<>()).add(finding);
            keysNow.add(finding.leak().key());
        }
        List<Site> sites = new ArrayList<>();
        bySite.forEach((key, findings) -> {
            Map<Leak.Kind, Integer> kinds = new EnumMap<>(Leak.Kind.class);
            Set<String> tests = new TreeSet<>();
            findings.forEach(f -> {
                kinds.merge(f.leak().kind(), 1, Integer::sum);
                tests.add(f.leak().test());
            });
            findings.sort(Comparator.comparing((GuardRun.Finding f) -> f.leak().test()).thenComparing(f -> f.leak().kind()));
            int fresh = writtenTo != null ? 0 : (int) findings.stream().filter(f -> !f.baselined()).count();
            sites.add(new Site(key, findings.get(0).leak().site(), kinds, tests, findings, fresh));
        });
        sites.sort(Comparator.comparing((Site s) -> s.fresh() == 0).thenComparing(s -> -s.findings().size())
                .thenComparing(Site::key));
        List<String> fixed = baselineBefore.stream()
                .filter(k -> merged.tests().contains(Baseline.testOf(k)) && !keysNow.contains(k)).sorted().toList();
        return new GuardReport(merged, sites, fixed, writtenTo, baseline);
    }

    private String headline() {
        return total + " leak" + (total == 1 ? "" : "s") + " at " + sites.size() + " creation site" + (sites.size() == 1 ? "" : "s")
                + " in " + tests + " guarded test" + (tests == 1 ? "" : "s") + " and classes: " + fresh + " new, "
                + (total - fresh) + (writtenTo != null ? " written to the baseline" : " baselined") + ", " + fixed.size() + " fixed";
    }

    private String cost() {
        return String.format(java.util.Locale.ROOT, "the guard's own time %d ms (%.2f ms per test)%s", guardNanos / 1_000_000,
                tests == 0 ? 0.0 : guardNanos / 1e6 / tests, parts > 1 ? ", merged from " + parts + " parts (one per JVM and run)" : "");
    }

    String console(Path html) {
        StringBuilder out = new StringBuilder("\n[graceful-shutdown guard] ").append(headline()).append("; ").append(cost()).append('\n');
        for (Site site : sites) {
            out.append(site.fresh() > 0 ? "  NEW        " : "  baselined  ").append(site.key()).append(": ")
                    .append(kindsText(site.kinds())).append(" in ").append(site.tests().size()).append(" test")
                    .append(site.tests().size() == 1 ? "" : "s").append(" (").append(abbreviate(site.tests())).append(")\n");
        }
        for (String key : fixed) {
            out.append("  FIXED      ").append(key).append(" (no longer happens: remove the line from the baseline)\n");
        }
        return out.append("  report: ").append(html.toAbsolutePath().normalize()).append('\n').toString();
    }

    private static String abbreviate(Set<String> tests) {
        List<String> names = tests.stream().limit(3).toList();
        return String.join(", ", names) + (tests.size() > 3 ? ", and " + (tests.size() - 3) + " more" : "");
    }

    private static String kindsText(Map<Leak.Kind, Integer> kinds) {
        return kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    String json() {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"tests\": ").append(tests).append(",\n");
        j.append("  \"parts\": ").append(parts).append(",\n");
        j.append("  \"guardMillis\": ").append(guardNanos / 1_000_000).append(",\n");
        j.append("  \"leaks\": ").append(total).append(",\n");
        j.append("  \"new\": ").append(fresh).append(",\n");
        j.append("  \"baselined\": ").append(total - fresh).append(",\n");
        j.append("  \"baselineWritten\": ").append(writtenTo != null).append(",\n");
        j.append("  \"kinds\": {");
        j.append(kinds.entrySet().stream().map(e -> str(e.getKey().name()) + ": " + e.getValue()).collect(Collectors.joining(", ")));
        j.append("},\n  \"sites\": [");
        for (int i = 0; i < sites.size(); i++) {
            Site s = sites.get(i);
            j.append(i == 0 ? "\n" : ",\n").append("    {\"site\": ").append(str(s.key())).append(", \"where\": ").append(str(s.where()))
                    .append(", \"new\": ").append(s.fresh()).append(", \"kinds\": {")
                    .append(s.kinds().entrySet().stream().map(e -> str(e.getKey().name()) + ": " + e.getValue()).collect(Collectors.joining(", ")))
                    .append("}, \"tests\": [").append(s.tests().stream().map(GuardReport::str).collect(Collectors.joining(", ")))
                    .append("], \"leaks\": [");
            for (int k = 0; k < s.findings().size(); k++) {
                GuardRun.Finding f = s.findings().get(k);
                Leak l = f.leak();
                j.append(k == 0 ? "\n" : ",\n").append("      {\"test\": ").append(str(l.test())).append(", \"kind\": ")
                        .append(str(l.kind().name())).append(", \"what\": ").append(str(l.what())).append(", \"where\": ")
                        .append(str(l.site())).append(", \"detail\": ").append(str(l.detail())).append(", \"new\": ")
                        .append(!f.baselined() && writtenTo == null).append(", \"key\": ").append(str(l.key())).append('}');
            }
            j.append("]}");
        }
        j.append(sites.isEmpty() ? "],\n" : "\n  ],\n");
        j.append("  \"fixed\": [").append(fixed.stream().map(GuardReport::str).collect(Collectors.joining(", "))).append("]\n}\n");
        return j.toString();
    }

    private static String str(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- HTML ---------------------------------------------------------------------------------------------------

    String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Graceful shutdown guard</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px 32px;color:#1d2330;max-width:1200px}\n")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.sub{color:#5b6475;margin:0 0 18px}\n")
                .append(".cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}.card{border:1px solid #d8dde6;border-radius:8px;padding:8px 14px;min-width:120px;background:#fafbfc}\n")
                .append(".card b{display:block;font-size:22px}.card span{color:#5b6475;font-size:12px}.card.new{border-color:#d33;background:#fff4f4}.card.new b{color:#c11}\n")
                .append(".card.fixed b{color:#17803d}table{border-collapse:collapse;width:100%;table-layout:fixed}td code{overflow-wrap:anywhere}.card.kindcard{background:#fff;min-width:0}.card.kindcard b{font-size:18px}th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid #e3e7ee}\n")
                .append("th{background:#f1f3f7;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#4a5262}\n")
                .append(".tag{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600}.tag.new{background:#c11;color:#fff}.tag.base{background:#e5e8ee;color:#3c4456}.tag.fixed{background:#17803d;color:#fff}\n")
                .append("code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}.kind{font:12px ui-monospace,monospace;background:#eef1f6;border-radius:4px;padding:0 4px;margin-right:4px;white-space:nowrap}\n")
                .append("details{margin-top:4px}summary{cursor:pointer;color:#34598f}ul{margin:4px 0 0 18px;padding:0}.fix{color:#17603a}.muted{color:#5b6475}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Graceful shutdown guard</h1>\n<p class=\"sub\">What the suite's tests started and left running when they ended: ")
                .append(esc(headline())).append(".<br>Cost: ").append(esc(cost())).append(".</p>\n");
        h.append("<div class=\"cards\">").append(card(fresh > 0 ? "new" : "", fresh, writtenTo != null ? "new (baseline rewritten)" : "new leaks: fail their tests"))
                .append(card("", total - fresh, writtenTo != null ? "written to the baseline" : "baselined: accepted for now"))
                .append(card("fixed", fixed.size(), "fixed: in the baseline, gone now"))
                .append(card("", tests, "guarded tests and classes"));
        h.append("</div>\n");
        if (!kinds.isEmpty()) {
            h.append("<div class=\"cards\">");
            kinds.forEach((kind, count) -> h.append(card("kindcard", count, kind.name())));
            h.append("</div>\n");
        }
        h.append("<h2>Leaks by creation site</h2>\n");
        if (sites.isEmpty()) {
            h.append("<p>No test left anything running.</p>\n");
        } else {
            h.append("<table><colgroup><col style=\"width:90px\"><col style=\"width:30%\"><col style=\"width:36%\"><col></colgroup>")
                    .append("<thead><tr><th>status</th><th>created, submitted or registered at</th><th>what was left, and the fix</th><th>tests (new: fails it)</th></tr></thead><tbody>\n");
            for (Site s : sites) {
                h.append("<tr><td>").append(s.fresh() > 0 ? "<span class=\"tag new\">" + s.fresh() + " new</span>" : "<span class=\"tag base\">baselined</span>")
                        .append("</td><td><code>").append(esc(s.where())).append("</code></td><td>");
                s.kinds().forEach((kind, count) -> h.append("<span class=\"kind\">").append(count).append(" &times; ").append(kind.name()).append("</span> "));
                h.append("<div class=\"fix\"><b>fix:</b> ").append(esc(s.kinds().keySet().iterator().next().fix())).append("</div>");
                h.append("<details><summary>").append(s.findings().size()).append(" leak").append(s.findings().size() == 1 ? "" : "s").append("</summary><ul>");
                for (GuardRun.Finding f : s.findings()) {
                    Leak l = f.leak();
                    h.append("<li><b>").append(esc(l.kind().name())).append("</b> ").append(esc(l.what())).append(" ")
                            .append(esc(l.kind().verb)).append(l.detail().isEmpty() ? "" : "; " + esc(l.detail()))
                            .append(" <span class=\"muted\">(").append(esc(l.test())).append(")</span></li>");
                }
                h.append("</ul></details></td><td>");
                for (String t : s.tests()) {
                    boolean isNew = writtenTo == null && s.findings().stream().anyMatch(f -> !f.baselined() && f.leak().test().equals(t));
                    h.append("<div title=\"").append(esc(t)).append("\"><code>").append(esc(shortTest(t))).append("</code>")
                            .append(isNew ? " <span class=\"tag new\">new</span>" : "").append("</div>");
                }
                h.append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("<h2>Fixed</h2>\n");
        if (fixed.isEmpty()) {
            h.append("<p class=\"muted\">No baselined leak has disappeared.</p>\n");
        } else {
            h.append("<p>These baseline lines no longer happen: remove them")
                    .append(baseline == null ? "" : " from <code>" + esc(baseline.toString()) + "</code>")
                    .append(" (or rerun with <code>-Dgracefulshutdown.guard.baseline.write=true</code>).</p><ul>");
            fixed.forEach(k -> h.append("<li><span class=\"tag fixed\">fixed</span> <code>").append(esc(k)).append("</code></li>"));
            h.append("</ul>\n");
        }
        h.append("<p class=\"muted\">graceful-shutdown-junit suite guard. A new leak fails its test; a baselined one is listed here only. ")
                .append("The JSON beside this page has the same data for CI.</p>\n</body></html>\n");
        return h.toString();
    }

    /** {@code com.acme.FooTest#bar()} as {@code FooTest#bar()}; the full id is the tooltip. */
    private static String shortTest(String test) {
        int hash = test.indexOf('#');
        String type = hash < 0 ? test : test.substring(0, hash);
        return type.substring(type.lastIndexOf('.') + 1) + (hash < 0 ? " (class)" : test.substring(hash));
    }

    private static String card(String type, int value, String label) {
        return "<div class=\"card " + type + "\"><b>" + value + "</b><span>" + esc(label) + "</span></div>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
