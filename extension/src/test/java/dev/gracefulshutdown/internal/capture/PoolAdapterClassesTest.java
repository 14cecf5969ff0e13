package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The kit weaves a library's classes only when a class of {@link PoolAdapter#instrumentedClasses()}
 * loads: every class an adapter's {@code instrument} names must be listed there, or it would never be instrumented.
 */
class PoolAdapterClassesTest {

    @Test
    void everyClassAnAdapterInstrumentsIsListed() throws IOException {
        for (PoolAdapter adapter : PoolAdapter.ALL) {
            List<String> named = classNamesIn(adapter.getClass(), "instrument");
            assertThat(named).as(adapter.library()).isNotEmpty();
            assertThat(adapter.instrumentedClasses()).as(adapter.library()).containsAll(named).contains(adapter.poolClass());
        }
    }

    /** The string constants of a method that look like a class name ({@code org.example.Pool$Worker}). */
    private static List<String> classNamesIn(Class<?> type, String method) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    if (!name.equals(method)) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof String && ((String) value).matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z][\\w$]*")) {
                                names.add((String) value);
                            }
                        }
                    };
                }
            }, 0);
        }
        return names;
    }
}
