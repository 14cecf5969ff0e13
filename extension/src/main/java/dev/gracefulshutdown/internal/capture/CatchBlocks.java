package dev.gracefulshutdown.internal.capture;

import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Tells the kit when the application's own code catches an exception: every {@code catch} block of the user's
 * classes (not the JDK's, a tool's, the kit's or a known library's) starts with a call to the bridge, with the
 * exception and where it is caught. A task that catches a failure during the shutdown and returns lost its work
 * just like one that threw; the kit can only know it from the catch block.
 */
final class CatchBlocks {

    private CatchBlocks() {
    }

    /**
     * Whether a class gets the call, from what a class file transformer is handed: a user's class (by its name),
     * loaded by an application class loader, not from the kit's own code source, not generated ({@code $$}).
     */
    static boolean isUsersClass(ClassLoader loader, String className, ProtectionDomain domain) {
        return loader != null && className != null && !className.contains("$$")
                && CallSites.isUserType(className.replace('/', '.')) && loader != ClassLoader.getPlatformClassLoader()
                && (domain == null || KIT_CODE == null || !KIT_CODE.equals(domain.getCodeSource()));
    }

    private static final Object KIT_CODE = kitCode();

    private static Object kitCode() {
        ProtectionDomain kit = CatchBlocks.class.getProtectionDomain();
        return kit == null ? null : kit.getCodeSource();
    }

    /**
     * The class file with the call at the start of each typed catch block, or {@code null} when it has none (or is an
     * annotation or synthetic, or cannot be read: that class then keeps its code). Byte Buddy's ASM, no Byte Buddy: every method
     * of the class is visited, the compiler's synthetic ones (lambda bodies) included; the stack map frames stay valid
     * (the call leaves the stack as it found it), so they are copied, not computed.
     */
    static byte[] transform(String internalName, byte[] classFile) {
        return transform(internalName, classFile, null);
    }

    /**
     * The same for some methods of a library's class ({@link SwallowedFailures#catchingMethods}): their catch blocks end
     * the user's work. {@code methods} {@code null}: every method.
     */
    static byte[] transform(String internalName, byte[] classFile, java.util.Set<String> methods) {
        ClassReader reader = OpenedClassReader.of(classFile);
        // as Byte Buddy's agent builder ignored them: annotations, modules, and the compiler's synthetic classes (an enum
        // switch's map, whose static initializer catches NoSuchFieldError)
        if ((reader.getAccess() & (Opcodes.ACC_ANNOTATION | Opcodes.ACC_MODULE | Opcodes.ACC_SYNTHETIC)) != 0) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        Classes classes = new Classes(writer, internalName.replace('/', '.'), methods);
        reader.accept(classes, 0);
        return classes.changed ? writer.toByteArray() : null;
    }

    private static final class Classes extends ClassVisitor {
        private final String type;
        private final java.util.Set<String> onlyMethods;
        private String file;
        private boolean changed;

        Classes(ClassVisitor delegate, String type, java.util.Set<String> onlyMethods) {
            super(Opcodes.ASM9, delegate);
            this.type = type;
            this.onlyMethods = onlyMethods;
            int nested = type.indexOf('$');
            // StringBuilder rather than '+' (an invokedynamic call site each) here and below: this runs while the kit
            // installs, often in a JVM that has linked few of those yet
            this.file = new StringBuilder().append(type, type.lastIndexOf('.') + 1, nested > 0 ? nested : type.length())
                    .append(".java").toString();
        }

        @Override
        public void visitSource(String source, String debug) {
            if (source != null) {
                file = source;
            }
            super.visitSource(source, debug);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            return method == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                    || onlyMethods != null && !onlyMethods.contains(name) ? method
                    : new Handlers(method, new StringBuilder(type).append('.').append(name).toString(), this);
        }
    }

    /** Inserts {@code dup; ldc where; invokestatic Bridge.caught} at the start of each typed catch block. */
    private static final class Handlers extends MethodVisitor {
        private final String where;
        private final Classes file;
        private final Set<Label> handlers = new HashSet<>();
        private boolean pending;
        private int line = -1;

        Handlers(MethodVisitor delegate, String where, Classes file) {
            super(Opcodes.ASM9, delegate);
            this.where = where;
            this.file = file;
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (type != null) { // finally blocks (type null) rethrow: what they see is not caught
                handlers.add(handler);
            }
            super.visitTryCatchBlock(start, end, handler, type);
        }

        @Override
        public void visitLabel(Label label) {
            flush();
            super.visitLabel(label);
            if (handlers.contains(label)) {
                pending = true;
            }
        }

        @Override
        public void visitLineNumber(int number, Label start) {
            line = number;
            super.visitLineNumber(number, start);
        }

        /** Emits the call before the handler's first instruction (after its label, frame and line). */
        private void flush() {
            if (!pending) {
                return;
            }
            pending = false;
            file.changed = true;
            super.visitInsn(Opcodes.DUP);
            StringBuilder site = new StringBuilder(where).append('(').append(file.file);
            if (line >= 0) {
                site.append(':').append(line);
            }
            super.visitLdcInsn(site.append(')').toString());
            super.visitMethodInsn(Opcodes.INVOKESTATIC, Bridge.INTERNAL_NAME, Bridge.CAUGHT, Bridge.CAUGHT_DESCRIPTOR, false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 2, maxLocals);
        }

        @Override
        public void visitInsn(int opcode) {
            flush();
            super.visitInsn(opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            flush();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            flush();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            flush();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            flush();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            flush();
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            flush();
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            flush();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            flush();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            flush();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            flush();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            flush();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            flush();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }
    }
}
