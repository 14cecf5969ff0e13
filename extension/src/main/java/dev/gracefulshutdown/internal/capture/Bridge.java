package dev.gracefulshutdown.internal.capture;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The one class the kit adds to {@code java.lang}, so that instrumented JDK classes and the application's
 * catch blocks can reach the kit without seeing its classes:
 *
 * <pre>
 * public final class GracefulShutdownJUnitBridge {
 *     public static volatile Function&lt;Object[], Object&gt; dispatcher;
 *     // whether anything is being captured: a scope is open, or this JVM really shuts down (forked, container)
 *     public static volatile boolean capturing;
 *
 *     // called at the start of every catch block of the application's code
 *     public static void caught(Throwable exception, String where) {
 *         if (!capturing) return;
 *         Function d = dispatcher;
 *         if (d != null) d.apply(new Object[] {Events.TASK_CAUGHT, exception, where});
 *     }
 * }
 * </pre>
 */
final class Bridge {

    static final String CLASS = "java.lang.GracefulShutdownJUnitBridge";
    static final String INTERNAL_NAME = CLASS.replace('.', '/');
    static final String DISPATCHER = "dispatcher";
    static final String CAPTURING = "capturing";
    static final String CAUGHT = "caught";
    static final String CAUGHT_DESCRIPTOR = "(Ljava/lang/Throwable;Ljava/lang/String;)V";
    private static final String FUNCTION = "Ljava/util/function/Function;";

    private Bridge() {
    }

    static byte[] classFile() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, INTERNAL_NAME, null,
                "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, DISPATCHER, FUNCTION, null, null)
                .visitEnd();
        writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, CAPTURING, "Z", null, null)
                .visitEnd();
        MethodVisitor caught = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, CAUGHT, CAUGHT_DESCRIPTOR, null, null);
        caught.visitCode();
        Label none = new Label();
        caught.visitFieldInsn(Opcodes.GETSTATIC, INTERNAL_NAME, CAPTURING, "Z");
        caught.visitJumpInsn(Opcodes.IFEQ, none);
        caught.visitFieldInsn(Opcodes.GETSTATIC, INTERNAL_NAME, DISPATCHER, FUNCTION);
        caught.visitVarInsn(Opcodes.ASTORE, 2);
        caught.visitVarInsn(Opcodes.ALOAD, 2);
        caught.visitJumpInsn(Opcodes.IFNULL, none);
        caught.visitVarInsn(Opcodes.ALOAD, 2);
        caught.visitInsn(Opcodes.ICONST_3);
        caught.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        // no lambdas here: a cold JVM pays for its first ones, and this runs while the kit installs
        caught.visitInsn(Opcodes.DUP);
        caught.visitInsn(Opcodes.ICONST_0);
        caught.visitIntInsn(Opcodes.BIPUSH, Events.TASK_CAUGHT);
        caught.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        caught.visitInsn(Opcodes.AASTORE);
        caught.visitInsn(Opcodes.DUP);
        caught.visitInsn(Opcodes.ICONST_1);
        caught.visitVarInsn(Opcodes.ALOAD, 0);
        caught.visitInsn(Opcodes.AASTORE);
        caught.visitInsn(Opcodes.DUP);
        caught.visitInsn(Opcodes.ICONST_2);
        caught.visitVarInsn(Opcodes.ALOAD, 1);
        caught.visitInsn(Opcodes.AASTORE);
        caught.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/function/Function", "apply",
                "(Ljava/lang/Object;)Ljava/lang/Object;", true);
        caught.visitInsn(Opcodes.POP);
        caught.visitLabel(none);
        caught.visitInsn(Opcodes.RETURN);
        caught.visitMaxs(0, 0);
        caught.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
