package dev.gracefulshutdown.internal.guard;


/**
 * A test's id as the guard's baseline and report name it, from JUnit's unique id: readable and stable
 * ({@code com.acme.ReportServiceTest#renders()}, {@code com.acme.OuterTest$Inner#works()},
 * {@code com.acme.RetryTest#retries(int)[2]}, a class alone for its {@code @BeforeAll}/{@code @AfterAll}).
 */
final class TestIds {

    private TestIds() {
    }

    /** Read by hand, segment by segment ({@code [type:value]}, a backslash escapes the next character): once per test. */
    static String of(String uniqueId) {
        StringBuilder id = new StringBuilder(uniqueId.length());
        int at = 0;
        while ((at = uniqueId.indexOf('[', at)) >= 0) {
            int colon = uniqueId.indexOf(':', at);
            if (colon < 0) {
                break;
            }
            int end = colon + 1; // the closing bracket; a backslash escapes the next character, which stays in the value
            while (end < uniqueId.length() && uniqueId.charAt(end) != ']') {
                end += uniqueId.charAt(end) == '\\' && end + 1 < uniqueId.length() ? 2 : 1;
            }
            if (end >= uniqueId.length()) {
                break;
            }
            append(id, uniqueId.substring(at + 1, colon), uniqueId.substring(colon + 1, end));
            at = end + 1;
        }
        return id.length() == 0 ? uniqueId : id.toString();
    }

    private static void append(StringBuilder id, String type, String value) {
        switch (type) {
            case "engine" -> { }
            case "class" -> id.append(value);
            case "nested-class" -> id.append('$').append(value);
            case "method", "test-template", "test-factory" -> id.append('#').append(value);
            case "test-template-invocation", "dynamic-test" -> id.append('[').append(value.replace("#", "")).append(']');
            default -> id.append(id.length() == 0 ? "" : "/").append(type).append(':').append(value);
        }
    }
}
