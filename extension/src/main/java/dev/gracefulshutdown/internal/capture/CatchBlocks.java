package dev.gracefulshutdown.internal.capture;

import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Tells the kit when the application's own code catches an exception: every {@code catch} block of the user's
 * classes (not the JDK's, a tool's, the kit's or a known library's) starts with a call to the bridge, with the
 * exception and where it is caught. A task that catches a failure during the shutdown and returns lost its work
 * just like one that threw; the kit can only know it from the catch block.
 */
final class CatchBlocks {

    private CatchBlocks() {
    }

    /** Which classes get the call: the user's, loaded by an application class loader. */
    static AgentBuilder.RawMatcher usersClasses() {
        ProtectionDomain kit = CatchBlocks.class.getProtectionDomain();
        Object kitCode = kit == null ? null : kit.getCodeSource();
        return (TypeDescription type, ClassLoader loader, JavaModule module, Class<?> redefined, ProtectionDomain domain) ->
                loader != null && loader != ClassLoader.getPlatformClassLoader()
                        && (domain == null || kitCode == null || !kitCode.equals(domain.getCodeSource()))
                        && !type.isAnnotation() && !type.getName().contains("$$")
                        && CallSites.isUserType(type.getName());
    }

    /** Visits every method of the class, the compiler's synthetic ones (lambda bodies) included. */
    static AsmVisitorWrapper visitor() {
        return new AsmVisitorWrapper.AbstractBase() {
            @Override
            public ClassVisitor wrap(TypeDescription type, ClassVisitor visitor, Implementation.Context context,
                    TypePool pool, FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
                    int writerFlags, int readerFlags) {
                return new Classes(visitor, type.getName());
            }
        };
    }

    private static final class Classes extends ClassVisitor {
        private final String type;
        private String file;

        Classes(ClassVisitor delegate, String type) {
            super(Opcodes.ASM9, delegate);
            this.type = type;
            int nested = type.indexOf('$');
            this.file = type.substring(type.lastIndexOf('.') + 1, nested > 0 ? nested : type.length()) + ".java";
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
            return method == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 ? method
                    : new Handlers(method, type + "." + name, this);
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
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(where + "(" + file.file + (line >= 0 ? ":" + line : "") + ")");
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
