package dev.gracefulshutdown.internal.capture;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * How messages name an asynchronous HTTP exchange and its client: the JDK's {@code HttpClient} ({@code sendAsync}, handed
 * the request) and Apache HttpClient 5's {@code CloseableHttpAsyncClient} ({@code execute}, handed a request producer,
 * which holds the request; the kit has no compile-time view of Apache's classes, so it reads the producer's fields).
 */
final class HttpExchanges {

    /** The client class the kit instruments, as Apache HttpClient 5 names it. */
    static final String APACHE_ASYNC_CLIENT = "org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient";
    /** Apache's future of an exchange, whose {@code completed}, {@code failed} and {@code cancelled} call its callback. */
    static final String APACHE_FUTURE = "org.apache.hc.core5.concurrent.BasicFuture";
    static final String APACHE_REQUEST_PRODUCER = "org.apache.hc.core5.http.nio.AsyncRequestProducer";
    private static final String APACHE_REQUEST = "org.apache.hc.core5.http.HttpRequest";
    /** Jetty 12's request, where every send of its client ends, and where its listeners are told an exchange completed. */
    static final String JETTY_REQUEST = "org.eclipse.jetty.client.transport.HttpRequest";
    static final String JETTY_LISTENERS = "org.eclipse.jetty.client.transport.ResponseListeners";
    static final String JETTY_COMPLETE_LISTENER = "org.eclipse.jetty.client.Response$CompleteListener";
    /** AsyncHttpClient's client, where every request of its ends ({@code executeRequest(request, handler)}), and its request. */
    static final String ASYNC_HTTP_CLIENT = "org.asynchttpclient.DefaultAsyncHttpClient";
    /** AsyncHttpClient's future of an exchange: {@code done()} runs the handler's {@code onCompleted} and completes it. */
    static final String ASYNC_HTTP_FUTURE = "org.asynchttpclient.netty.NettyResponseFuture";
    static final String ASYNC_HTTP_REQUEST = "org.asynchttpclient.Request";
    /**
     * Reactor Netty's client (Spring's {@code WebClient}): what each subscription to a request makes (its method and
     * where it goes), and the observer of each attempt's connection, which holds it.
     */
    static final String REACTOR_NETTY_HANDLER = "reactor.netty.http.client.HttpClientConnect$HttpClientHandler";
    static final String REACTOR_NETTY_OBSERVER = "reactor.netty.http.client.HttpClientConnect$HttpObserver";
    /** Reactor Netty's operations of a connection for one request, which tell the application the response's end. */
    static final String REACTOR_NETTY_OPERATIONS = "reactor.netty.channel.ChannelOperations";
    /** Reactor's sink of {@code Mono.create}, which Reactor Netty gives each attempt of an exchange. */
    static final String REACTOR_SINK = "reactor.core.publisher.MonoCreate$DefaultMonoSink";

    /** The clients' classes the kit instruments (the {@link Weaver} says how). */
    static final java.util.List<String> CLASSES = java.util.List.of(APACHE_ASYNC_CLIENT, APACHE_FUTURE, JETTY_REQUEST,
            JETTY_LISTENERS, ASYNC_HTTP_CLIENT, ASYNC_HTTP_FUTURE, REACTOR_NETTY_HANDLER, REACTOR_NETTY_OBSERVER, REACTOR_NETTY_OPERATIONS, REACTOR_SINK);

    private HttpExchanges() {
    }

    /** "HTTP exchange GET http://host/path", or "HTTP exchange" when the request cannot be read. */
    static String describe(Object request) {
        if (request instanceof java.net.http.HttpRequest jdk) {
            return "HTTP exchange " + jdk.method() + " " + jdk.uri();
        }
        boolean jetty = request != null && request.getClass().getName().equals(JETTY_REQUEST);
        if (jetty || request != null && request.getClass().getName().startsWith("org.asynchttpclient.")) {
            try {
                return "HTTP exchange " + request.getClass().getMethod("getMethod").invoke(request) + " "
                        + request.getClass().getMethod(jetty ? "getURI" : "getUrl").invoke(request);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "HTTP exchange";
            }
        }
        if (request != null && request.getClass().getName().equals(REACTOR_NETTY_HANDLER)) {
            Object method = Fields.readOrNull(request, "method");
            Object uri = Fields.readOrNull(request, "toURI");
            return method == null || uri == null ? "HTTP exchange" : "HTTP exchange " + method + " " + uri;
        }
        Object apache = request == null ? null : apacheRequestIn(request);
        return apache == null ? "HTTP exchange" : "HTTP exchange " + apache; // Apache's request says "GET http://host/path"
    }

    /** How messages name the client. */
    static String client(Object client) {
        return client instanceof java.net.http.HttpClient ? "the JDK's HttpClient"
                : client.getClass().getName().equals(JETTY_REQUEST) ? "Jetty's HttpClient"
                : client.getClass().getName().equals(ASYNC_HTTP_CLIENT) ? "AsyncHttpClient's DefaultAsyncHttpClient"
                : client.getClass().getName().equals(REACTOR_NETTY_HANDLER) ? "Reactor Netty's HttpClient"
                : "Apache HttpClient 5's " + client.getClass().getSimpleName();
    }

    /**
     * Whether this thread sends the exchange in order to wait for its response: Jetty's blocking {@code send()}, which
     * sends through {@code send(listener)}, or a Reactor Netty request subscribed to by {@code block()} (and
     * {@code blockLast()}...). The exchange is the waiting thread's work, judged as that thread.
     */
    static boolean sentAndAwaited() {
        return StackWalker.getInstance().walk(frames -> {
            int jettySends = 0;
            for (java.util.Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame frame = it.next();
                if (frame.getMethodName().startsWith("block") && frame.getClassName().startsWith("reactor.core.publisher.")) {
                    return true; // Reactor's block(), blockLast()...
                }
                if (frame.getClassName().equals(JETTY_REQUEST) && frame.getMethodName().equals("send") && ++jettySends > 1) {
                    return true; // Jetty's send() calling send(listener)
                }
            }
            return false;
        });
    }

    /**
     * Whether the request opens a WebSocket (Reactor Netty's {@code HttpClient.websocket()}): a connection the application
     * keeps open for as long as it wants, not an exchange that completes.
     */
    static boolean opensAWebSocket(Object request) {
        return request != null && request.getClass().getName().equals(REACTOR_NETTY_HANDLER)
                && Fields.readOrNull(request, "websocketClientSpec") != null;
    }

    /** The request itself, or the one a request producer holds (a field declared as Apache's {@code HttpRequest}). */
    private static Object apacheRequestIn(Object holder) {
        if (implementsApacheRequest(holder.getClass())) {
            return holder;
        }
        try {
            for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && field.getType().getName().equals(APACHE_REQUEST)
                            && field.trySetAccessible()) {
                        return field.get(holder);
                    }
                }
            }
        } catch (IllegalAccessException | RuntimeException cannotLook) {
            return null;
        }
        return null;
    }

    private static boolean implementsApacheRequest(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                if (implemented.getName().equals(APACHE_REQUEST) || implementsApacheRequest(implemented)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Where an exchange callback's exception goes when it escapes the call that told the callback (by that call's class),
     * in words; {@code null} where the kit knows of none.
     */
    static String whereAnEscapedCallbackFailureGoes(String tellingClass) {
        return APACHE_FUTURE.equals(tellingClass) ? "Apache HttpClient's I/O reactor (a callback's exception goes up into "
                + "InternalChannel.handleIOEvent, which catches it and closes the connection)" : null;
    }
}
