package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a snapshot travels from the JVM that really shuts down (a forked child, an application in a container) to
 * the kit that judges it: as data, never as code. A process in a container can leave any file where the kit
 * expects its recording, so reading one must never run, load or even initialize a class the file names, the way
 * Java serialization does (and gadget chains exploit).
 *
 * <p>A recording is a header line, {@code graceful-shutdown-recording 1}, then one JSON document: each record as
 * an object of its components by name, lists as arrays, strings, whole numbers, booleans, enum constants and
 * durations as text ({@code PT0.02S}), stack frames as objects, and an exception as its text, message and stack
 * (it comes back as a {@link Portable.Failure}). No class name is ever written: what to build comes from the
 * declared types of the kit's own records, over a fixed list ({@link #RECORDS}), so the file can only choose
 * among values, never among types.
 *
 * <p>The codec is generic over record components, so a component added to one of those records travels without
 * a change here; reading a recording without it gives it a neutral value (null, false, 0, an empty list), and a
 * component the reader does not know is skipped. A change of the format's shape changes {@link #VERSION}.
 *
 * <p>Reading is bounded: the file's size, the nesting depth, every string's length and the number of list
 * elements. Anything else than a well-formed recording of this version, within those limits, is an
 * {@link UntrustedRecording} that says why.
 */
public final class RecordingFormat {

    /** The first word of every recording. */
    static final String NAME = "graceful-shutdown-recording";
    /** The version this kit writes and the only one it reads. */
    static final int VERSION = 1;
    /** The largest recording read; a bigger one is refused before it is read whole. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;
    /** How deep objects and arrays may nest (a snapshot needs 7 levels). */
    static final int MAX_DEPTH = 32;
    /** The longest string read; the writer clips longer ones (a huge exception message) to it. */
    static final int MAX_STRING_CHARS = 1024 * 1024;
    /** How many list elements a whole recording may hold. */
    static final int MAX_ELEMENTS = 1_000_000;

    /** The only records a recording may hold: the snapshot and what it is made of. */
    static final Set<Class<? extends Record>> RECORDS = Set.of(RealShutdown.Snapshot.class, Inventory.class,
            CapturedThread.class, CapturedExecutor.class, CapturedTask.class, CapturedHook.class, CallSite.class);

    private static final Map<Class<?>, Shape> SHAPES = RECORDS.stream()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), Shape::of));

    private RecordingFormat() {
    }

    /** The snapshot as a recording (ASCII text). */
    public static byte[] write(RealShutdown.Snapshot snapshot) {
        return RecordingWriter.write(snapshot);
    }

    /**
     * Reads a recording, at most {@link #MAX_BYTES} of it.
     *
     * @throws UntrustedRecording with the reason, for anything but a well-formed recording of this version
     */
    public static RealShutdown.Snapshot read(InputStream in) throws UntrustedRecording {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UntrustedRecording("the recording could not be read: " + e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new UntrustedRecording("the recording is over the " + mebibytes(MAX_BYTES) + " limit");
        }
        return RecordingReader.read(bytes);
    }

    /** Reads a recording file; its size is checked before it is read. */
    public static RealShutdown.Snapshot read(Path file) throws UntrustedRecording, NoSuchFileException {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new UntrustedRecording("the recording is " + mebibytes(size) + ", over the " + mebibytes(MAX_BYTES) + " limit");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(in);
            }
        } catch (NoSuchFileException | UntrustedRecording e) {
            throw e;
        } catch (IOException e) {
            throw new UntrustedRecording("the recording could not be read: " + e);
        }
    }

    private static String mebibytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }

    static Shape shape(Class<?> record) {
        return SHAPES.get(record);
    }

    /** Whether a component of this declared type can travel: checked for every record by a test. */
    static boolean carries(Type type) {
        Class<?> raw = raw(type);
        if (raw == List.class) {
            return type instanceof ParameterizedType list && carries(list.getActualTypeArguments()[0]);
        }
        return raw == String.class || raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class
                || raw == boolean.class || raw == Boolean.class || raw.isEnum() || raw == Duration.class
                || raw == StackTraceElement.class || carriesFailure(raw) || RECORDS.contains(raw);
    }

    /** A declared {@code Throwable}, {@code Exception} or {@code RuntimeException}: a failure comes back as one. */
    static boolean carriesFailure(Class<?> raw) {
        return Throwable.class.isAssignableFrom(raw) && raw.isAssignableFrom(Portable.Failure.class);
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> plain) {
            return plain;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        throw new IllegalArgumentException("a recording cannot carry a value of type " + type);
    }

    static Type elementType(Type listType) {
        return ((ParameterizedType) listType).getActualTypeArguments()[0];
    }

    /** A record of {@link #RECORDS}, as the format sees it: its components in order, and how to build one. */
    record Shape(Class<?> type, String[] names, Type[] types, Method[] accessors, Constructor<?> canonical) {

        static Shape of(Class<?> record) {
            RecordComponent[] components = record.getRecordComponents();
            String[] names = new String[components.length];
            Type[] types = new Type[components.length];
            Method[] accessors = new Method[components.length];
            Class<?>[] parameters = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                types[i] = components[i].getGenericType();
                accessors[i] = components[i].getAccessor();
                parameters[i] = components[i].getType();
            }
            try {
                return new Shape(record, names, types, accessors, record.getDeclaredConstructor(parameters));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("the record " + record.getName() + " has no canonical constructor", e);
            }
        }

        int indexOf(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** What a component missing from the recording gets: null, false, 0 or an empty list. */
        Object neutral(int component) {
            Class<?> raw = raw(types[component]);
            if (raw == long.class) {
                return 0L;
            }
            if (raw == int.class) {
                return 0;
            }
            if (raw == boolean.class) {
                return false;
            }
            return raw == List.class ? List.of() : null;
        }
    }

    /**
     * A recording that is not one this kit wrote: malformed, truncated, too big, of another format version, or
     * unreadable. The message says which, in words a person reading a test report understands.
     */
    public static final class UntrustedRecording extends IOException {
        private static final long serialVersionUID = 1L;

        UntrustedRecording(String reason) {
            super(reason);
        }
    }

    /**
     * A recording copied from where the application ran: the snapshot it holds, or why it cannot be trusted;
     * neither when there was none.
     *
     * @param snapshot the snapshot, or {@code null}
     * @param untrustedBecause why the recording there cannot be trusted, as a sentence for a report, or {@code null}
     */
    public record Recording(RealShutdown.Snapshot snapshot, String untrustedBecause) {

        /** The recording in a file copied out, {@code null} when there was none. */
        public static Recording of(byte[] file) {
            if (file == null) {
                return new Recording(null, null);
            }
            try {
                return new Recording(read(new ByteArrayInputStream(file)), null);
            } catch (UntrustedRecording e) {
                return untrusted(e);
            }
        }

        /** The recording in a file, which may not exist (yet). */
        public static Recording in(Path file) {
            try {
                return new Recording(read(file), null);
            } catch (NoSuchFileException none) {
                return new Recording(null, null);
            } catch (UntrustedRecording e) {
                return untrusted(e);
            }
        }

        private static Recording untrusted(UntrustedRecording e) {
            return new Recording(null, "the recording could not be trusted: " + e.getMessage());
        }

        public boolean untrusted() {
            return untrustedBecause != null;
        }
    }
}
