package dev.gracefulshutdown.internal.guard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test's id as the guard's baseline and report name it, from JUnit's unique id: readable and stable
 * ({@code com.acme.ReportServiceTest#renders()}, {@code com.acme.OuterTest$Inner#works()},
 * {@code com.acme.RetryTest#retries(int)[2]}, a class alone for its {@code @BeforeAll}/{@code @AfterAll}).
 */
final class TestIds {

    private static final Pattern SEGMENT = Pattern.compile("\\[([^:\\]]+):((?:[^\\]\\\\]|\\\\.)*)\\]");

    private TestIds() {
    }

    static String of(String uniqueId) {
        StringBuilder id = new StringBuilder();
        Matcher m = SEGMENT.matcher(uniqueId);
        while (m.find()) {
            String type = m.group(1);
            String value = m.group(2);
            switch (type) {
                case "engine" -> { }
                case "class" -> id.append(value);
                case "nested-class" -> id.append('$').append(value);
                case "method", "test-template", "test-factory" -> id.append('#').append(value);
                case "test-template-invocation", "dynamic-test" -> id.append('[').append(value.replace("#", "")).append(']');
                default -> id.append(id.length() == 0 ? "" : "/").append(type).append(':').append(value);
            }
        }
        return id.length() == 0 ? uniqueId : id.toString();
    }
}
