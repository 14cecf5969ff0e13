package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.internal.capture.RecordingFormat.UntrustedRecording;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording is data: what the kit writes comes back exactly, and anything else (another version, a truncated,
 * oversized or crafted file, a Java-serialized gadget) is refused with a reason, without running anything of it.
 *
 * <p>The kit's records are built here by component name ({@link #record}), so that a component added to one of
 * them does not break these tests.
 */
class RecordingFormatTest {

    /** Set by {@code Trap}'s static initializer: proof that a class named in a file was initialized. */
    static final AtomicBoolean GADGET_INITIALIZED = new AtomicBoolean();

    @TempDir
    Path directory;

    // ---- what the kit writes comes back -------------------------------------------------------------------

    @Test
    void aRealisticSnapshotComesBackExactly() throws Exception {
        RealShutdown.Snapshot written = realisticSnapshot();
        byte[] recording = RecordingFormat.write(written);

        RealShutdown.Snapshot read = read(recording);

        assertThat(read.phase()).isEqualTo(RealShutdown.Moment.HALT);
        assertThat(read.pid()).isEqualTo(4242L);
        assertThat(read.inventory().threads()).isEqualTo(written.inventory().threads());
        assertThat(read.inventory().executors()).isEqualTo(written.inventory().executors());
        assertThat(read.inventory().tasks()).hasSize(2);
        assertThat(read.inventory().hooks()).hasSize(2);
        assertThat(RecordingFormat.write(read)).as("written again, byte for byte").isEqualTo(recording);
    }

    @Test
    void aFailureComesBackAsTheKitsOwnTypeWithTheOriginalsTextMessageAndStack() throws Exception {
        IllegalStateException original = failure();
        RealShutdown.Snapshot read = read(RecordingFormat.write(snapshotWithTaskFailure(Portable.Failure.of(original))));

        Throwable failure = read.inventory().tasks().get(0).failure();
        assertThat(failure).isInstanceOf(Portable.Failure.class);
        assertThat(failure.toString()).isEqualTo(original.toString());
        assertThat(failure.getMessage()).isEqualTo(original.getMessage());
        assertThat(failure.getStackTrace()).usingElementComparator(java.util.Comparator.comparing(RecordingFormatTest::frameText))
                .containsExactly(original.getStackTrace());
        assertThat(Arrays.stream(failure.getStackTrace()).map(StackTraceElement::toString))
                .as("the frames print as the JVM printed them")
                .containsExactlyElementsOf(Arrays.stream(original.getStackTrace()).map(StackTraceElement::toString).toList());
    }

    @Test
    void nullFieldsAndAFailureWithoutMessageComeBackAsNull() throws Exception {
        RealShutdown.Snapshot read = read(RecordingFormat.write(realisticSnapshot()));

        CapturedTask neverStarted = read.inventory().tasks().get(1);
        assertThat(neverStarted.thread()).isNull();
        assertThat(neverStarted.threadId()).isNull();
        assertThat(neverStarted.failure()).isNull();
        assertThat(neverStarted.interruptSite()).isNull();
        assertThat(read.inventory().executors().get(1).shutdownSite()).isNull();
        Throwable noMessage = read.inventory().hooks().get(1).failure();
        assertThat(noMessage.getMessage()).isNull();
        assertThat(noMessage).hasToString("java.lang.NullPointerException");
        assertThat(read.inventory().hooks().get(0).duration()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void hostileStringsComeBackExactly() throws Exception {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        List<String> names = List.of(controls.toString(), "line\nbreak\r\n", "\"quoted\" and \\back\\slashed\\",
                "\\u0041 is not A", "lone \uD800 surrogate \uDC00", "emoji \uD83D\uDE00, \u2028, \u00e9, \u007f, \u0000",
                "} ] \" , : null", "");
        for (String name : names) {
            RealShutdown.Snapshot read = read(RecordingFormat.write(snapshotWithThreadName(name)));
            assertThat(read.inventory().threads().get(0).name()).isEqualTo(name);
        }
    }

    @Test
    void aOneMegabyteThreadNameComesBackExactly() throws Exception {
        String name = "x\"\n\\".repeat(250_000);

        RealShutdown.Snapshot read = read(RecordingFormat.write(snapshotWithThreadName(name)));

        assertThat(read.inventory().threads().get(0).name()).isEqualTo(name);
    }

    @Test
    void aStringOverTheLimitIsClippedWhenWrittenSoTheRecordingStaysReadable() throws Exception {
        String name = "y".repeat(RecordingFormat.MAX_STRING_CHARS + 10);

        RealShutdown.Snapshot read = read(RecordingFormat.write(snapshotWithThreadName(name)));

        assertThat(read.inventory().threads().get(0).name()).isEqualTo(name.substring(0, RecordingFormat.MAX_STRING_CHARS));
    }

    @Test
    void aComponentMissingFromTheRecordingIsNeutralAndAnUnknownOneIsIgnored() throws Exception {
        RealShutdown.Snapshot read = read(recording("{\"phase\":\"HALT\",\"pid\":7,\"inventory\":{\"threads\":[{\"name\":\"w\","
                + "\"addedByANewerKit\":{\"a\":[1,-2,true,false,null,\"s\",{\"b\":[]}]}}]},\"extra\":\"ignored\"}"));

        CapturedThread thread = read.inventory().threads().get(0);
        assertThat(thread.name()).isEqualTo("w");
        assertThat(thread.id()).isZero();
        assertThat(thread.daemon()).isFalse();
        assertThat(thread.state()).isNull();
        assertThat(thread.stack()).isEmpty();
        assertThat(read.inventory().executors()).isEmpty();
        assertThat(read.inventory().hooks()).isEmpty();
    }

    @Test
    void everyComponentOfTheKitsRecordsCanTravel() {
        for (Class<? extends Record> type : RecordingFormat.RECORDS) {
            for (RecordComponent component : type.getRecordComponents()) {
                assertThat(RecordingFormat.carries(component.getGenericType()))
                        .as("%s.%s, of type %s: add the type to RecordingFormat (writer and reader)", type.getSimpleName(),
                                component.getName(), component.getGenericType().getTypeName())
                        .isTrue();
            }
        }
    }

    @Test
    void theRecordingFileIsTheSnapshotFile() throws Exception {
        Path file = directory.resolve(RealShutdown.SNAPSHOT_FILE);
        Files.write(file, RecordingFormat.write(realisticSnapshot()));

        RecordingFormat.Recording recording = RecordingFormat.Recording.in(file);

        assertThat(recording.snapshot().pid()).isEqualTo(4242L);
        assertThat(recording.untrusted()).isFalse();
        assertThat(RecordingFormat.Recording.in(directory.resolve("none"))).isEqualTo(new RecordingFormat.Recording(null, null));
        assertThat(RecordingFormat.Recording.of(null)).isEqualTo(new RecordingFormat.Recording(null, null));
    }

    // ---- anything else is refused, with the reason ---------------------------------------------------------

    @Test
    void aRecordingOfAnOlderOrNewerVersionIsRefused() {
        String document = new String(RecordingFormat.write(realisticSnapshot()), StandardCharsets.US_ASCII);
        String body = document.substring(document.indexOf('\n'));

        assertUntrusted(("graceful-shutdown-recording 7" + body).getBytes(StandardCharsets.US_ASCII))
                .hasMessage("format version 7 is not one this kit reads (it reads 1): the recording was written by a newer "
                        + "graceful-shutdown-junit");
        assertUntrusted(("graceful-shutdown-recording 0" + body).getBytes(StandardCharsets.US_ASCII))
                .hasMessageStartingWith("format version 0 is not one this kit reads (it reads 1)").hasMessageContaining("an older");
        assertUntrusted(("graceful-shutdown-recording 99999999999999999999" + body).getBytes(StandardCharsets.US_ASCII))
                .hasMessageStartingWith("the recording's header has no version number");
    }

    @Test
    void everyTruncationOfARecordingIsRefused() {
        byte[] whole = RecordingFormat.write(realisticSnapshot());
        for (int length = 0; length < whole.length - 1; length++) { // the last byte is the closing line break
            assertUntrusted(Arrays.copyOf(whole, length));
        }
        assertUntrusted(Arrays.copyOf(whole, whole.length / 2)).hasMessageStartingWith("the recording ends in the middle of inventory.");
        assertUntrusted(Arrays.copyOf(whole, 10)).hasMessageStartingWith("the recording does not start with");
        assertUntrusted(new byte[0]).hasMessage("the recording is empty");
    }

    @Test
    void anOversizedRecordingIsRefusedBeforeItIsReadWhole() {
        byte[] header = "graceful-shutdown-recording 1\n".getBytes(StandardCharsets.US_ASCII);
        long[] served = {0};
        InputStream endless = new InputStream() { // a recording that never ends
            @Override
            public int read() {
                long at = served[0]++;
                return at < header.length ? header[(int) at] : ' ';
            }
        };

        assertThatThrownBy(() -> RecordingFormat.read(endless)).isInstanceOf(UntrustedRecording.class)
                .hasMessage("the recording is over the 16 MiB limit");
        assertThat(served[0]).isLessThanOrEqualTo(RecordingFormat.MAX_BYTES + 1L);
    }

    @Test
    void anOversizedRecordingFileIsRefusedWithItsSize() throws Exception {
        Path file = directory.resolve(RealShutdown.SNAPSHOT_FILE);
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(20L * 1024 * 1024);
        }

        RecordingFormat.Recording recording = RecordingFormat.Recording.in(file);

        assertThat(recording.snapshot()).isNull();
        assertThat(recording.untrustedBecause())
                .isEqualTo("the recording could not be trusted: the recording is 20 MiB, over the 16 MiB limit");
    }

    @Test
    void garbageIsRefused() {
        assertUntrusted("{\"phase\":\"HALT\"}".getBytes(StandardCharsets.US_ASCII)).hasMessageStartingWith("the recording does not start with");
        assertUntrusted(new byte[] {(byte) 0xff, 0, 1, 2}).hasMessage("the recording does not start with "
                + "'graceful-shutdown-recording <version>' but with '\\xff\\x00\\x01\\x02'");
        assertUntrusted(recording("{\"phase\":\"HALT\",\"pid\":7}} trailing")).hasMessageContaining("text after the end of the snapshot");
        assertUntrusted(recording("null")).hasMessage("the recording holds no snapshot (null)");
        assertUntrusted(recording("{\"pid\":99999999999999999999}")).hasMessageContaining("the number 99999999999999999999, out of range");
        assertUntrusted(recording("{\"pid\":1.5}")).hasMessageContaining("where a whole number belongs");
        assertUntrusted(recording("{\"pid\":null}")).hasMessageContaining("null where a long belongs (at pid");
        assertUntrusted(recording("{\"inventory\":{\"threads\":[{\"state\":\"SLEEPING\"}]}}"))
                .hasMessageContaining("'SLEEPING', which is no State (at inventory.threads[0].state");
        assertUntrusted(recording("{\"inventory\":{\"hooks\":[{\"duration\":\"forever\"}]}}"))
                .hasMessageContaining("'forever', which is no duration");
        assertUntrusted(recording("{\"inventory\":{\"threads\":[null]}}")).hasMessageContaining("null in a list");
        assertUntrusted(recording("{\"inventory\":{\"threads\":[{\"stack\":[{\"line\":3}]}]}}"))
                .hasMessageContaining("a stack frame without its class or method");
        assertUntrusted(recording("{\"phase\":\"HALT\",\"phase\":\"SHUTDOWN\"}")).hasMessageContaining("'phase' twice");
        assertUntrusted(recording("{\"phase\":\"tab\there\"}")).hasMessageContaining("a control character inside a string");
        assertUntrusted(recording("{\"phase\":\"\\x\"}")).hasMessageContaining("an unknown escape \\x");
        assertUntrusted(recording("{\"phase\":\"\\u12G4\"}")).hasMessageContaining("not 4 hex digits");
        assertUntrusted("graceful-shutdown-recording 1\n\"\u00e9".getBytes(StandardCharsets.ISO_8859_1))
                .hasMessage("the recording is not UTF-8 text");

        Random random = new Random(20);
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(2000)];
            random.nextBytes(noise);
            assertUntrusted(noise);
            byte[] headed = ("graceful-shutdown-recording 1\n" + new String(noise, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertUntrusted(headed);
        }
    }

    @Test
    void aDamagedRecordingIsReadOrRefusedButNeverThrowsAnythingElse() {
        byte[] whole = RecordingFormat.write(realisticSnapshot());
        Random random = new Random(7);
        String alphabet = "{}[]\",:\\ -0123456789aeflnrstu\n";
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = whole.clone();
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                damaged[random.nextInt(damaged.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            try {
                RecordingFormat.read(new ByteArrayInputStream(damaged));
            } catch (UntrustedRecording expected) {
                assertThat(expected.getMessage()).as("a reason of the reader, not a failure inside it")
                        .doesNotStartWith("the recording could not be read");
            } catch (RuntimeException e) {
                fail("damaged recording " + new String(damaged, StandardCharsets.US_ASCII) + " threw " + e, e);
            }
        }
    }

    @Test
    void aRecordingNestedTooDeepIsRefused() {
        String deep = "[".repeat(40) + "]".repeat(40);

        assertUntrusted(recording("{\"phase\":\"HALT\",\"unknown\":" + deep + "}"))
                .hasMessageStartingWith("the recording nests deeper than 32 levels, the limit (at unknown");
    }

    @Test
    void aStringOverTheLimitInARecordingIsRefused() {
        String name = "z".repeat(RecordingFormat.MAX_STRING_CHARS + 1);

        assertUntrusted(recording("{\"inventory\":{\"threads\":[{\"name\":\"" + name + "\"}]}}"))
                .hasMessageStartingWith("the recording holds a string longer than 1048576 characters, the limit "
                        + "(at inventory.threads[0].name");
    }

    @Test
    void aRecordingWithTooManyListElementsIsRefused() {
        String threads = "{}," .repeat(RecordingFormat.MAX_ELEMENTS) + "{}";

        assertUntrusted(recording("{\"inventory\":{\"threads\":[" + threads + "]}}"))
                .hasMessageStartingWith("the recording holds more than 1000000 list elements, the limit");
    }

    @Test
    void aJavaSerializedGadgetIsNeverDeserializedNorItsClassInitialized() throws Exception {
        byte[] gadget = javaSerializedGadget();
        Files.write(directory.resolve(RealShutdown.SNAPSHOT_FILE), gadget);

        assertThatThrownBy(() -> RealShutdown.Snapshot.read(new ByteArrayInputStream(gadget)))
                .isInstanceOf(UntrustedRecording.class)
                .hasMessage("the recording is a Java-serialized stream, which the kit never deserializes "
                        + "(it reads 'graceful-shutdown-recording 1')");
        assertThat(RecordingFormat.Recording.of(gadget).untrustedBecause()).startsWith("the recording could not be trusted: "
                + "the recording is a Java-serialized stream");
        assertThat(RecordingFormat.Recording.in(directory.resolve(RealShutdown.SNAPSHOT_FILE)).untrusted()).isTrue();
        assertThat(GADGET_INITIALIZED).as("the gadget's class was initialized").isFalse();

        // the control: the same bytes, read the way the kit used to, run the gadget's code
        try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(gadget))) {
            assertThat(objects.readObject().getClass().getSimpleName()).isEqualTo("Trap");
        }
        assertThat(GADGET_INITIALIZED).as("the stream is a real gadget").isTrue();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /**
     * A serialized {@link Bait} whose class name is changed to {@code Trap}'s (same length, same
     * serialVersionUID): a stream that names a class this JVM has not loaded, without loading it here.
     */
    private static byte[] javaSerializedGadget() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Bait());
        }
        String stream = bytes.toString(StandardCharsets.ISO_8859_1);
        String bait = RecordingFormatTest.class.getName() + "$Bait";
        String gadget = RecordingFormatTest.class.getName() + "$Trap";
        assertThat(stream).contains(bait);
        return stream.replace(bait, gadget).getBytes(StandardCharsets.ISO_8859_1);
    }

    static final class Bait implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Named only inside the crafted stream; referenced in code only by the control, after the check. */
    static final class Trap implements Serializable {
        private static final long serialVersionUID = 1L;

        static {
            GADGET_INITIALIZED.set(true);
        }
    }

    private static IllegalStateException failure() {
        try {
            Integer.parseInt("forty-two");
            throw new AssertionError("unreachable");
        } catch (NumberFormatException e) {
            IllegalStateException failure = new IllegalStateException("could not import row 7: \"forty-two\"\n\tat column 3");
            failure.setStackTrace(concat(e.getStackTrace(), failure.getStackTrace()));
            return failure;
        }
    }

    /** Keeps a recording small enough to cut at every byte. */
    private static Throwable innermostFrames(Throwable failure) {
        failure.setStackTrace(Arrays.copyOf(failure.getStackTrace(), 5));
        return failure;
    }

    private static String frameText(StackTraceElement frame) {
        return frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")";
    }

    private static StackTraceElement[] concat(StackTraceElement[] first, StackTraceElement[] second) {
        StackTraceElement[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static RealShutdown.Snapshot read(byte[] recording) throws UntrustedRecording {
        return RecordingFormat.read(new ByteArrayInputStream(recording));
    }

    private static byte[] recording(String document) {
        return ("graceful-shutdown-recording 1\n" + document + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertUntrusted(byte[] recording) {
        try {
            RealShutdown.Snapshot read = read(recording);
            throw new AssertionError("read as a snapshot: " + read);
        } catch (UntrustedRecording expected) {
            assertThat(RecordingFormat.Recording.of(recording).untrustedBecause())
                    .isEqualTo("the recording could not be trusted: " + expected.getMessage());
            return assertThat(expected);
        }
    }

    private static RealShutdown.Snapshot realisticSnapshot() {
        CallSite pool = new CallSite(List.of(new StackTraceElement("com.example.ImportJob", "start", "ImportJob.java", 31),
                new StackTraceElement("com.example.Main", "main", "Main.java", 12)));
        CallSite shutdown = new CallSite(List.of(new StackTraceElement("com.example.ImportJob", "stop", "ImportJob.java", 58)));
        List<StackTraceElement> waiting = List.of(
                new StackTraceElement(null, "java.base", null, "jdk.internal.misc.Unsafe", "park", null, -2),
                new StackTraceElement(null, null, null, "com.example.ImportJob", "lambda$start$0", "ImportJob.java", 40),
                new StackTraceElement("custom-loader", "my.module", "1.2", "com.example.Plugin", "run", "Plugin.java", 9));
        Map<String, Object> worker = Map.of("name", "import-1", "id", 31L, "role", CapturedThread.Role.POOL_WORKER,
                "executor", "ThreadPoolExecutor#1", "createdBy", "main", "creationSite", pool, "state", Thread.State.WAITING,
                "stack", waiting);
        CapturedThread importer = record(CapturedThread.class, worker);
        CapturedThread ended = record(CapturedThread.class, Map.of("name", "virtual-7", "id", 77L, "daemon", true, "virtual", true,
                "role", CapturedThread.Role.TASK_THREAD, "createdBy", "import-1", "state", Thread.State.TERMINATED));
        CapturedExecutor executor = record(CapturedExecutor.class, Map.of("id", "ThreadPoolExecutor#1",
                "type", "java.util.concurrent.ThreadPoolExecutor", "creationSite", pool, "corePoolSize", 2, "maximumPoolSize",
                Integer.MAX_VALUE, "keepAlive", Duration.ofSeconds(60), "shutdown", CapturedExecutor.ShutdownState.SHUTDOWN,
                "shutdownSite", shutdown));
        CapturedExecutor neverShutDown = record(CapturedExecutor.class, Map.of("id", "ForkJoinPool#1",
                "type", "java.util.concurrent.ForkJoinPool", "creationSite", pool, "keepAlive", Duration.ofMillis(1500),
                "shutdown", CapturedExecutor.ShutdownState.RUNNING, "terminated", false));
        CapturedTask failed = record(CapturedTask.class, Map.of("id", "task#1", "description", "com.example.ImportJob$$Lambda$14/0x1",
                "executor", "ThreadPoolExecutor#1", "submissionSite", pool, "outcome", CapturedTask.Outcome.FAILED,
                "thread", "import-1", "threadId", 31L, "failure", Portable.Failure.of(innermostFrames(failure())), "duringShutdown", true));
        CapturedTask neverStarted = record(CapturedTask.class, Map.of("id", "task#2", "description", "FutureTask",
                "executor", "ThreadPoolExecutor#1", "submissionSite", pool, "outcome", CapturedTask.Outcome.NEVER_STARTED,
                "periodic", true));
        CapturedHook hook = record(CapturedHook.class, Map.of("name", "import-shutdown", "threadId", 90L, "registrationSite", pool,
                "outcome", CapturedHook.Outcome.COMPLETED, "duration", Duration.ofMillis(250)));
        CapturedHook failedHook = record(CapturedHook.class, Map.of("name", "Thread-3", "threadId", 91L, "registrationSite", shutdown,
                "outcome", CapturedHook.Outcome.FAILED, "duration", Duration.ofNanos(1_234_567),
                "failure", Portable.Failure.of(new NullPointerException())));
        Inventory inventory = record(Inventory.class, Map.of("threads", List.of(importer, ended),
                "executors", List.of(executor, neverShutDown), "tasks", List.of(failed, neverStarted), "hooks", List.of(hook, failedHook)));
        return new RealShutdown.Snapshot(RealShutdown.Moment.HALT, 4242L, inventory);
    }

    private static RealShutdown.Snapshot snapshotWithThreadName(String name) {
        CapturedThread thread = record(CapturedThread.class, Map.of("name", name, "id", 1L, "state", Thread.State.RUNNABLE));
        return new RealShutdown.Snapshot(RealShutdown.Moment.SHUTDOWN, 1L, record(Inventory.class, Map.of("threads", List.of(thread))));
    }

    private static RealShutdown.Snapshot snapshotWithTaskFailure(Throwable failure) {
        CapturedTask task = record(CapturedTask.class, Map.of("id", "task#1", "outcome", CapturedTask.Outcome.FAILED, "failure", failure));
        return new RealShutdown.Snapshot(RealShutdown.Moment.HALT, 1L, record(Inventory.class, Map.of("tasks", List.of(task))));
    }

    /** One of the kit's records, from its components by name; the others get null, false, 0 or an empty list. */
    static <R extends Record> R record(Class<R> type, Map<String, ?> components) {
        RecordComponent[] declared = type.getRecordComponents();
        Object[] values = new Object[declared.length];
        Class<?>[] types = new Class<?>[declared.length];
        for (int i = 0; i < declared.length; i++) {
            types[i] = declared[i].getType();
            values[i] = components.containsKey(declared[i].getName()) ? components.get(declared[i].getName())
                    : types[i] == long.class ? (Object) 0L : types[i] == int.class ? (Object) 0
                    : types[i] == boolean.class ? (Object) false : types[i] == List.class ? List.of() : null;
        }
        assertThat(Arrays.stream(declared).map(RecordComponent::getName)).as("the components of " + type.getSimpleName())
                .containsAll(components.keySet());
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
