package dev.gracefulshutdown.internal.capture;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Writes a snapshot in the {@link RecordingFormat}. It runs every 20 ms while a JVM shuts down, so it is one
 * pass into a string builder, with the records' shapes worked out once. The text is ASCII: every other character
 * is escaped, so any string (a lone surrogate in a thread name too) comes back exactly.
 */
final class RecordingWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String JDK_MODULES_VERSION = Object.class.getModule().getDescriptor().rawVersion().orElse("");

    private final StringBuilder out = new StringBuilder(16 * 1024);

    private RecordingWriter() {
    }

    static byte[] write(RealShutdown.Snapshot snapshot) {
        RecordingWriter writer = new RecordingWriter();
        writer.out.append(RecordingFormat.NAME).append(' ').append(RecordingFormat.VERSION).append('\n');
        writer.value(snapshot, RealShutdown.Snapshot.class);
        writer.out.append('\n');
        return writer.out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void value(Object value, Type declared) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Enum<?> constant) {
            string(constant.name());
        } else if (value instanceof Duration duration) {
            string(duration.toString());
        } else if (value instanceof StackTraceElement frame) {
            frame(frame);
        } else if (value instanceof Throwable failure) {
            failure(failure);
        } else if (value instanceof List<?> list) {
            list(list, RecordingFormat.elementType(declared));
        } else if (value instanceof Record record && RecordingFormat.RECORDS.contains(record.getClass())) {
            record(record);
        } else {
            throw new IllegalArgumentException("a recording cannot carry a " + value.getClass().getName());
        }
    }

    private void record(Record record) {
        RecordingFormat.Shape shape = RecordingFormat.shape(record.getClass());
        out.append('{');
        for (int i = 0; i < shape.names().length; i++) {
            if (i > 0) {
                out.append(',');
            }
            string(shape.names()[i]);
            out.append(':');
            value(component(shape, i, record), shape.types()[i]);
        }
        out.append('}');
    }

    private static Object component(RecordingFormat.Shape shape, int i, Record record) {
        try {
            return shape.accessors()[i].invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not read " + shape.type().getSimpleName() + "." + shape.names()[i], e);
        }
    }

    private void list(List<?> list, Type elementType) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            value(list.get(i), elementType);
        }
        out.append(']');
    }

    /**
     * A frame as the JVM shows it: the JVM leaves out the name of its own class loaders ({@code app/}) and the
     * version of its own modules ({@code java.base@17.0.15}), and a frame read back prints the same (a failure's
     * top frame is in the report as text).
     */
    private void frame(StackTraceElement frame) {
        out.append("{\"class\":");
        string(frame.getClassName());
        out.append(",\"method\":");
        string(frame.getMethodName());
        out.append(",\"file\":");
        nullable(frame.getFileName());
        out.append(",\"line\":").append(frame.getLineNumber());
        String loader = frame.getClassLoaderName();
        if (loader != null && !loader.equals("app") && !loader.equals("platform")) {
            out.append(",\"classLoader\":");
            string(loader);
        }
        String module = frame.getModuleName();
        if (module != null) {
            out.append(",\"module\":");
            string(module);
        }
        if (module != null && frame.getModuleVersion() != null && !(frame.getModuleVersion().equals(JDK_MODULES_VERSION)
                && (module.startsWith("java.") || module.startsWith("jdk.")))) {
            out.append(",\"moduleVersion\":");
            string(frame.getModuleVersion());
        }
        out.append('}');
    }

    /** An exception as its text, message and stack: what a {@link Portable.Failure} keeps of it. */
    private void failure(Throwable failure) {
        out.append("{\"text\":");
        nullable(failure.toString());
        out.append(",\"message\":");
        nullable(failure.getMessage());
        out.append(",\"stack\":[");
        StackTraceElement[] stack = failure.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            frame(stack[i]);
        }
        out.append("]}");
    }

    private void nullable(String text) {
        if (text == null) {
            out.append("null");
        } else {
            string(text);
        }
    }

    /** A JSON string of ASCII characters, clipped to {@link RecordingFormat#MAX_STRING_CHARS}. */
    private void string(String text) {
        int length = Math.min(text.length(), RecordingFormat.MAX_STRING_CHARS);
        out.append('"');
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        out.append('"');
    }
}
