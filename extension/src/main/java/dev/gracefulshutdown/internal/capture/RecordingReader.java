package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.internal.capture.RecordingFormat.UntrustedRecording;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a recording in the {@link RecordingFormat}, led by the declared types of the kit's records: the file
 * only ever supplies values. Every limit is checked as the text is read, and every way the text can be wrong
 * ends in an {@link UntrustedRecording} that says what and where.
 */
final class RecordingReader {

    private static final int MAX_VERSION_DIGITS = 9;
    private static final int MAX_NUMBER_CHARS = 20;

    private final String text;
    private int at;
    private int depth;
    private int elements;
    /** Where the reader is, for messages: component names and list indexes. */
    private final List<Object> path = new ArrayList<>();

    private RecordingReader(String text) {
        this.text = text;
    }

    static RealShutdown.Snapshot read(byte[] bytes) throws UntrustedRecording {
        int body = header(bytes);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, body, bytes.length - body)).toString();
        } catch (CharacterCodingException e) {
            throw new UntrustedRecording("the recording is not UTF-8 text");
        }
        RecordingReader reader = new RecordingReader(text);
        try {
            RealShutdown.Snapshot snapshot = (RealShutdown.Snapshot) reader.value(RealShutdown.Snapshot.class);
            reader.whitespace();
            if (reader.at < text.length()) {
                throw reader.malformed("text after the end of the snapshot");
            }
            if (snapshot == null) {
                throw new UntrustedRecording("the recording holds no snapshot (null)");
            }
            return snapshot;
        } catch (RuntimeException unexpected) { // a bug of the reader: still a reason, never an exception from deep inside
            throw new UntrustedRecording("the recording could not be read" + reader.where() + ": " + unexpected);
        }
    }

    /** Checks the header line and returns where the document starts. */
    private static int header(byte[] bytes) throws UntrustedRecording {
        if (bytes.length == 0) {
            throw new UntrustedRecording("the recording is empty");
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xac && (bytes[1] & 0xff) == 0xed) {
            throw new UntrustedRecording("the recording is a Java-serialized stream, which the kit never deserializes "
                    + "(it reads '" + RecordingFormat.NAME + " " + RecordingFormat.VERSION + "')");
        }
        byte[] name = (RecordingFormat.NAME + " ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < name.length; i++) {
            if (i >= bytes.length || bytes[i] != name[i]) {
                throw new UntrustedRecording("the recording does not start with '" + RecordingFormat.NAME + " <version>' but with '"
                        + preview(bytes, 0) + "'");
            }
        }
        int at = name.length;
        long version = 0;
        while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9' && at - name.length < MAX_VERSION_DIGITS) {
            version = version * 10 + (bytes[at++] - '0');
        }
        if (at == name.length || at >= bytes.length || bytes[at] != '\n') {
            throw new UntrustedRecording(at >= bytes.length ? "the recording ends in the middle of its header"
                    : "the recording's header has no version number: '" + preview(bytes, 0) + "'");
        }
        if (version != RecordingFormat.VERSION) {
            throw new UntrustedRecording("format version " + version + " is not one this kit reads (it reads "
                    + RecordingFormat.VERSION + "): the recording was written by " + (version < RecordingFormat.VERSION ? "an older" : "a newer")
                    + " graceful-shutdown-junit");
        }
        return at + 1;
    }

    /** The first characters from {@code from}, printable. */
    private static String preview(byte[] bytes, int from) {
        StringBuilder shown = new StringBuilder();
        for (int i = from; i < bytes.length && i < from + 40 && bytes[i] != '\n'; i++) {
            int b = bytes[i] & 0xff;
            shown.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return shown.toString();
    }

    // ---- values, led by the declared type ----------------------------------------------------------------

    private Object value(Type type) throws UntrustedRecording {
        Class<?> raw = RecordingFormat.raw(type);
        whitespace();
        if (literal("null")) {
            if (raw.isPrimitive()) {
                throw malformed("null where a " + raw + " belongs");
            }
            return null;
        }
        if (raw == String.class) {
            return string();
        }
        if (raw == long.class || raw == Long.class) {
            return number(Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) number(Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return bool();
        }
        if (raw.isEnum()) {
            return constant(raw);
        }
        if (raw == Duration.class) {
            return duration();
        }
        if (raw == StackTraceElement.class) {
            return frame();
        }
        if (RecordingFormat.carriesFailure(raw)) {
            return failure();
        }
        if (raw == List.class) {
            return list(RecordingFormat.elementType(type));
        }
        if (RecordingFormat.RECORDS.contains(raw)) {
            return record(RecordingFormat.shape(raw));
        }
        throw new IllegalStateException("the recording format cannot carry a " + type);
    }

    private Object record(RecordingFormat.Shape shape) throws UntrustedRecording {
        Object[] components = new Object[shape.names().length];
        boolean[] seen = new boolean[components.length];
        object(key -> {
            int i = shape.indexOf(key);
            if (i < 0) {
                skip(); // a component of a newer kit, or of none
            } else if (seen[i]) {
                throw malformed("'" + shorten(key) + "' twice");
            } else {
                seen[i] = true;
                components[i] = value(shape.types()[i]);
            }
        });
        for (int i = 0; i < components.length; i++) {
            if (!seen[i]) {
                components[i] = shape.neutral(i);
            }
        }
        try {
            return shape.canonical().newInstance(components);
        } catch (InvocationTargetException e) {
            throw malformed("a " + shape.type().getSimpleName() + " its constructor refuses (" + e.getCause() + ")");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not build a " + shape.type().getSimpleName(), e);
        }
    }

    private List<Object> list(Type elementType) throws UntrustedRecording {
        expect('[', "a list");
        enter();
        List<Object> list = new ArrayList<>();
        whitespace();
        if (!consume(']')) {
            do {
                if (++elements > RecordingFormat.MAX_ELEMENTS) {
                    throw new UntrustedRecording("the recording holds more than " + RecordingFormat.MAX_ELEMENTS
                            + " list elements, the limit" + where());
                }
                path.add(list.size());
                Object element = value(elementType);
                if (element == null) {
                    throw malformed("null in a list");
                }
                list.add(element);
                path.remove(path.size() - 1);
                whitespace();
            } while (consume(','));
            expect(']', "',' or ']'");
        }
        depth--;
        return Collections.unmodifiableList(list);
    }

    private StackTraceElement frame() throws UntrustedRecording {
        String[] parts = new String[6]; // class loader, module, module version, class, method, file
        int[] line = {-1};
        object(key -> {
            switch (key) {
                case "classLoader" -> parts[0] = nullableString();
                case "module" -> parts[1] = nullableString();
                case "moduleVersion" -> parts[2] = nullableString();
                case "class" -> parts[3] = nullableString();
                case "method" -> parts[4] = nullableString();
                case "file" -> parts[5] = nullableString();
                case "line" -> line[0] = (int) number(Integer.MIN_VALUE, Integer.MAX_VALUE);
                default -> skip();
            }
        });
        if (parts[3] == null || parts[4] == null) {
            throw malformed("a stack frame without its class or method");
        }
        return new StackTraceElement(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], line[0]);
    }

    private Portable.Failure failure() throws UntrustedRecording {
        String[] parts = new String[2]; // text, message
        List<StackTraceElement> stack = new ArrayList<>();
        object(key -> {
            switch (key) {
                case "text" -> parts[0] = nullableString();
                case "message" -> parts[1] = nullableString();
                case "stack" -> {
                    for (Object frame : list(StackTraceElement.class)) {
                        stack.add((StackTraceElement) frame);
                    }
                }
                default -> skip();
            }
        });
        if (parts[0] == null) {
            throw malformed("an exception without its text");
        }
        return Portable.Failure.restored(parts[0], parts[1], stack.toArray(StackTraceElement[]::new));
    }

    private Object constant(Class<?> type) throws UntrustedRecording {
        String name = string();
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw malformed("'" + shorten(name) + "', which is no " + type.getSimpleName());
    }

    private Duration duration() throws UntrustedRecording {
        String written = string();
        try {
            return Duration.parse(written);
        } catch (DateTimeParseException e) {
            throw malformed("'" + shorten(written) + "', which is no duration");
        }
    }

    private boolean bool() throws UntrustedRecording {
        if (literal("true")) {
            return true;
        }
        if (literal("false")) {
            return false;
        }
        throw malformed(found() + " where true or false belongs");
    }

    /** A whole number within the bounds: an optional minus and up to 19 digits. */
    private long number(long min, long max) throws UntrustedRecording {
        whitespace();
        int start = at;
        if (at < text.length() && text.charAt(at) == '-') {
            at++;
        }
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9' && at - start <= MAX_NUMBER_CHARS) {
            at++;
        }
        if (at == text.length()) {
            throw endsEarly();
        }
        String digits = text.substring(start, at);
        char next = text.charAt(at);
        if (digits.isEmpty() || digits.equals("-") || next == '.' || next == 'e' || next == 'E' || Character.isDigit(next)) {
            at = start;
            throw malformed(found() + " where a whole number belongs");
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw malformed("the number " + shorten(digits) + ", out of range");
        }
        if (value < min || value > max) {
            throw malformed("the number " + digits + ", out of range");
        }
        return value;
    }

    // ---- the JSON syntax ---------------------------------------------------------------------------------

    private interface Component {
        void read(String key) throws UntrustedRecording;
    }

    /** An object: each key is handed to {@code component}, which reads or skips its value. */
    private void object(Component component) throws UntrustedRecording {
        expect('{', "an object");
        enter();
        whitespace();
        if (!consume('}')) {
            do {
                whitespace();
                String key = string();
                whitespace();
                expect(':', "':'");
                path.add(key);
                component.read(key);
                path.remove(path.size() - 1);
                whitespace();
            } while (consume(','));
            expect('}', "',' or '}'");
        }
        depth--;
    }

    /** Skips a value the reader does not know, within the same limits. */
    private void skip() throws UntrustedRecording {
        whitespace();
        if (at >= text.length()) {
            throw endsEarly();
        }
        char c = text.charAt(at);
        if (c == '{') {
            object(key -> skip());
        } else if (c == '[') {
            expect('[', "a list");
            enter();
            whitespace();
            if (!consume(']')) {
                do {
                    skip();
                    whitespace();
                } while (consume(','));
                expect(']', "',' or ']'");
            }
            depth--;
        } else if (c == '"') {
            string();
        } else if (c == '-' || c >= '0' && c <= '9') {
            number(Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (!literal("true") && !literal("false") && !literal("null")) {
            throw malformed(found() + " where a value belongs");
        }
    }

    private String nullableString() throws UntrustedRecording {
        whitespace();
        return literal("null") ? null : string();
    }

    private String string() throws UntrustedRecording {
        expect('"', "a string");
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw endsEarly();
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (value.length() >= RecordingFormat.MAX_STRING_CHARS) {
                throw new UntrustedRecording("the recording holds a string longer than " + RecordingFormat.MAX_STRING_CHARS
                        + " characters, the limit" + where());
            }
            if (c == '\\') {
                value.append(escaped());
            } else if (c < 0x20) {
                at--;
                throw malformed("a control character inside a string");
            } else {
                value.append(c);
            }
        }
    }

    private char escaped() throws UntrustedRecording {
        if (at >= text.length()) {
            throw endsEarly();
        }
        char c = text.charAt(at++);
        switch (c) {
            case '"', '\\', '/' -> {
                return c;
            }
            case 'n' -> {
                return '\n';
            }
            case 't' -> {
                return '\t';
            }
            case 'r' -> {
                return '\r';
            }
            case 'b' -> {
                return '\b';
            }
            case 'f' -> {
                return '\f';
            }
            case 'u' -> {
                if (at + 4 > text.length()) {
                    throw endsEarly();
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(text.charAt(at++), 16);
                    if (digit < 0) {
                        throw malformed("a \\u escape that is not 4 hex digits");
                    }
                    code = code * 16 + digit;
                }
                return (char) code;
            }
            default -> {
                at--;
                throw malformed("an unknown escape \\" + c);
            }
        }
    }

    private void enter() throws UntrustedRecording {
        if (++depth > RecordingFormat.MAX_DEPTH) {
            throw new UntrustedRecording("the recording nests deeper than " + RecordingFormat.MAX_DEPTH + " levels, the limit" + where());
        }
    }

    private void whitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            at++;
        }
    }

    /** Consumes {@code word} if it comes next; a recording that ends within it ends early. */
    private boolean literal(String word) throws UntrustedRecording {
        if (text.startsWith(word, at)) {
            at += word.length();
            return true;
        }
        if (at < text.length() && text.length() - at < word.length() && word.startsWith(text.substring(at))) {
            throw endsEarly();
        }
        return false;
    }

    private boolean consume(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c, String what) throws UntrustedRecording {
        whitespace();
        if (at >= text.length()) {
            throw endsEarly();
        }
        if (text.charAt(at) != c) {
            throw malformed(found() + " where " + what + " belongs");
        }
        at++;
    }

    // ---- messages ----------------------------------------------------------------------------------------

    private UntrustedRecording endsEarly() {
        return new UntrustedRecording("the recording ends in the middle of " + (path.isEmpty() ? "the snapshot" : pathText()));
    }

    private UntrustedRecording malformed(String what) {
        return new UntrustedRecording("the recording is malformed: " + what + where());
    }

    /** Where the reader is, e.g. {@code " (at inventory.threads[3].name, character 1204)"}. */
    private String where() {
        return " (at " + (path.isEmpty() ? "" : pathText() + ", ") + "character " + at + " of the document)";
    }

    private String pathText() {
        StringBuilder text = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(shorten((String) step));
            }
        }
        return text.toString();
    }

    private String found() {
        if (at >= text.length()) {
            return "the end";
        }
        char c = text.charAt(at);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("the character \\u%04x", (int) c);
    }

    /** A value from the file, short and printable, for a message. */
    private static String shorten(String value) {
        String shown = value.length() <= 60 ? value : value.substring(0, 60) + "...";
        StringBuilder printable = new StringBuilder();
        for (char c : shown.toCharArray()) {
            printable.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return printable.toString();
    }
}
