package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of the JDK classes' woven bytes uses an entry only for exactly the class file it was computed from, by
 * exactly this kit: another class file, a torn or corrupt entry, or another kit's weaving is a miss, never used.
 */
class TransformCacheTest {

    private static final List<String> KIT = List.of("dev/gracefulshutdown/internal/capture/Advices.class");
    private static final byte[] WOVEN = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3, 4, 5};

    @TempDir
    Path directory;

    @Test
    void aStoredEntryIsFoundForTheSameClassFile() throws IOException {
        byte[] classFile = classFile(false);
        cache(KIT).store("java/lang/Example", classFile, WOVEN);

        assertThat(cache(KIT).lookup("java/lang/Example", classFile)).isEqualTo(WOVEN);
        assertThat(cache(KIT).lookup("java/lang/Example", classFile.clone())).isEqualTo(WOVEN);
    }

    @Test
    void theSameClassWithItsMethodsInAnotherOrderIsTheSameEntry() throws IOException {
        byte[] oneOrder = classFile(false);
        byte[] otherOrder = classFile(true);
        assertThat(otherOrder).isNotEqualTo(oneOrder);
        assertThat(TransformCache.canonical(otherOrder)).isEqualTo(TransformCache.canonical(oneOrder));

        cache(KIT).store("java/lang/Example", oneOrder, WOVEN);
        assertThat(cache(KIT).lookup("java/lang/Example", otherOrder)).isEqualTo(WOVEN);
    }

    @Test
    void anotherClassFileIsAMiss() throws IOException {
        byte[] classFile = classFile(false);
        cache(KIT).store("java/lang/Example", classFile, WOVEN);
        byte[] changed = classFile.clone();
        changed[changed.length - 3] ^= 1; // same length, same name

        assertThat(cache(KIT).lookup("java/lang/Example", changed)).isNull();
        assertThat(cache(KIT).lookup("java/lang/Other", classFile)).isNull();
    }

    @Test
    void anotherKitsWeavingIsAMiss() throws IOException {
        byte[] classFile = classFile(false);
        cache(KIT).store("java/lang/Example", classFile, WOVEN);

        assertThat(cache(List.of("dev/gracefulshutdown/internal/capture/Weaver.class")).lookup("java/lang/Example", classFile))
                .isNull();
    }

    @Test
    void aCorruptOrTornEntryIsAMissAndIsReplacedByTheNextStore() throws IOException {
        byte[] classFile = classFile(false);
        TransformCache cache = cache(KIT);
        cache.store("java/lang/Example", classFile, WOVEN);
        Path entry = onlyEntry();
        byte[] stored = Files.readAllBytes(entry);

        byte[] flipped = stored.clone();
        flipped[flipped.length - 2] ^= 1; // in the woven bytes: their checksum no longer matches
        Files.write(entry, flipped);
        assertThat(cache.lookup("java/lang/Example", classFile)).isNull();

        Files.write(entry, java.util.Arrays.copyOf(stored, stored.length - 3));
        assertThat(cache.lookup("java/lang/Example", classFile)).isNull();

        Files.write(entry, java.util.Arrays.copyOf(stored, stored.length + 1));
        assertThat(cache.lookup("java/lang/Example", classFile)).isNull();

        Files.write(entry, new byte[] {1, 2, 3});
        assertThat(cache.lookup("java/lang/Example", classFile)).isNull();

        cache.store("java/lang/Example", classFile, WOVEN);
        assertThat(cache.lookup("java/lang/Example", classFile)).isEqualTo(WOVEN);
    }

    @Test
    void aClassTheWeavingLeavesAsItIsIsRememberedAsUnchanged() throws IOException {
        byte[] classFile = classFile(false);
        cache(KIT).store("java/lang/Example", classFile, null);

        assertThat(cache(KIT).lookup("java/lang/Example", classFile)).isSameAs(TransformCache.UNCHANGED);
    }

    @Test
    void jvmsWritingTheSameEntryAtOnceNeverLeaveATornOne() throws Exception {
        byte[] classFile = classFile(false);
        byte[] woven = new byte[200_000];
        new java.util.Random(7).nextBytes(woven);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                done.add(writers.submit(() -> {
                    TransformCache cache = cache(KIT);
                    for (int round = 0; round < 20; round++) {
                        cache.store("java/lang/Example", classFile, woven);
                        byte[] found = cache.lookup("java/lang/Example", classFile);
                        assertThat(found).isEqualTo(woven); // complete, whoever wrote it last
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void theCacheCanBeTurnedOff() {
        String before = System.getProperty(TransformCache.PROPERTY);
        System.setProperty(TransformCache.PROPERTY, "none");
        try {
            assertThat(TransformCache.open(KIT)).isNull();
        } finally {
            restore(before);
        }
    }

    private TransformCache cache(List<String> kit) {
        String before = System.getProperty(TransformCache.PROPERTY);
        System.setProperty(TransformCache.PROPERTY, directory.toString());
        try {
            TransformCache cache = TransformCache.open(kit);
            assertThat(cache).isNotNull();
            return cache;
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(TransformCache.PROPERTY);
        } else {
            System.setProperty(TransformCache.PROPERTY, before);
        }
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> entries = files.toList();
            assertThat(entries).hasSize(1);
            return entries.get(0);
        }
    }

    /**
     * A class with a field and two methods; {@code reversed}: the same class file (the same constant pool, the same
     * methods to the byte) with its methods in the other order, as a JVM may rebuild it for a retransformation.
     */
    private static byte[] classFile(boolean reversed) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "java/lang/Example", null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_PRIVATE, "count", "J", null, null).visitEnd();
        for (String name : List.of("first", "second")) {
            MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, name, "()J", null, null);
            method.visitCode();
            method.visitLdcInsn(name.length() * 1_000_000_007L);
            method.visitInsn(Opcodes.LRETURN);
            method.visitMaxs(0, 0);
            method.visitEnd();
        }
        writer.visitEnd();
        byte[] classFile = writer.toByteArray();
        if (!reversed) {
            return classFile;
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter reordered = new ClassWriter(reader, 0);
        reader.accept(new OnlyMethod(reordered, "second", true), 0);
        reader.accept(new OnlyMethod(reordered, "first", false), 0);
        return reordered.toByteArray();
    }

    /** One pass of two over the class: the header and fields on the first, the end on the second. */
    private static final class OnlyMethod extends ClassVisitor {
        private final String method;
        private final boolean first;

        OnlyMethod(ClassVisitor writer, String method, boolean first) {
            super(Opcodes.ASM9, writer);
            this.method = method;
            this.first = first;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            if (first) {
                super.visit(version, access, name, signature, superName, interfaces);
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            return first ? super.visitField(access, name, descriptor, signature, value) : null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            return name.equals(method) ? super.visitMethod(access, name, descriptor, signature, exceptions) : null;
        }

        @Override
        public void visitEnd() {
            if (!first) {
                super.visitEnd();
            }
        }
    }
}
