package dev.gracefulshutdown.internal.libraries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Servers, frameworks and libraries whose frames are not the user's own code. A thread whose stack holds only
 * their frames (and the JDK's) is doing the library's housekeeping or waiting for work in its loop; a thread
 * with a user frame on its stack is doing the user's work, whoever started it. Threads that a library starts
 * (a server's request threads, an event loop) are the library's workers: what they run for the user is judged
 * like a task.
 */
public final class KnownLibraries {

    private static final String[] PACKAGES = {
        // servers and networking
        "org.apache.", "org.eclipse.jetty.", "io.netty.", "io.undertow.", "org.xnio.", "org.jboss.threads.", "org.jboss.logging.",
        "io.vertx.", "io.helidon.", "org.glassfish.", "io.grpc.", "okhttp3.", "okio.", "com.sun.net.httpserver.", "reactor.", "io.reactivex.", "rx.", "kotlinx.coroutines.",
        "com.squareup.okhttp.", "org.asynchttpclient.", "com.linecorp.armeria.", "io.javalin.", "io.fabric8.", "io.kubernetes.",
        // frameworks
        "org.springframework.", "io.micronaut.", "io.quarkus.", "io.dropwizard.", "com.google.inject.", "jakarta.",
        "org.jboss.weld.", "io.smallrye.", "org.quartz.", "akka.",
        // data and messaging clients
        "com.zaxxer.hikari.", "org.h2.", "org.hsqldb.",
        "org.postgresql.", "com.mysql.", "org.mariadb.", "oracle.jdbc.", "org.hibernate.", "org.jooq.",
        "org.mybatis.", "com.rabbitmq.", "io.lettuce.", "redis.clients.",
        "org.redisson.", "com.mongodb.", "org.mongodb.", "com.datastax.", "software.amazon.", "com.amazonaws.",
        "com.google.cloud.", "com.google.api.", "io.opentelemetry.", "io.micrometer.", "io.prometheus.",
        "com.codahale.metrics.", "org.ehcache.", "org.infinispan.", "com.hazelcast.", "io.r2dbc.", "org.jdbi.", "org.flywaydb.",
        "liquibase.", "org.elasticsearch.", "co.elastic.", "org.neo4j.", "io.nats.", "io.temporal.", "com.azure.",
        // general-purpose libraries and logging
        "com.google.common.", "com.github.benmanes.caffeine.", "org.jctools.",
        "com.fasterxml.jackson.", "com.google.gson.", "org.slf4j.", "ch.qos.logback.", "kotlin.", "scala.", "groovy.", "org.codehaus.groovy.", "org.aspectj.", "net.sf.cglib.",
        "org.objenesis.", "org.mockito.", "io.github.resilience4j.", "dev.failsafe.", "net.jodah.failsafe.",
        "com.lmax.", "io.github.bucket4j.",
        // test servers and stubs the code under test talks to
        "mockwebserver3.", "com.github.tomakehurst.wiremock.", "org.wiremock.", "org.mockserver.", "com.squareup.mockwebserver.",
        "de.flapdoodle.", "io.zonky.",
        // more clients, frameworks and libraries that run pools and loops of their own
        "retrofit2.", "feign.", "io.github.openfeign.", "io.rsocket.", "brave.", "zipkin2.", "io.sentry.", "io.jaegertracing.",
        "com.couchbase.", "io.confluent.", "com.netflix.", "net.openhft.", "org.agrona.", "io.aeron.", "com.microsoft.sqlserver.",
        "org.sqlite.", "org.xerial.", "com.clickhouse.", "org.firebirdsql.", "com.ibm.", "io.etcd.", "com.orbitz.consul.",
        "org.pcollections.", "com.googlecode.", "org.reactivestreams.", "io.projectreactor.", "org.jetbrains.kotlinx.",
        "io.ktor.", "org.http4k.", "com.typesafe.",
        "org.jgroups.", "net.spy.memcached.", "org.eclipse.microprofile.", "org.eclipse.paho.", "com.hivemq.", "org.springdoc.", "io.swagger.", "io.debezium.", "org.keycloak.", "com.auth0.",
        "io.jsonwebtoken.", "com.nimbusds.", "org.bouncycastle.", "com.stripe.", "com.twilio.", "com.slack.api.",
    };

    /** Configuration parameter and system property: package prefixes of more libraries, comma separated. */
    public static final String PROPERTY = "gracefulshutdown.libraries";

    private static final Pattern PREFIX = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
            + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*\\.?");

    /** The user's own additions: empty unless {@value #PROPERTY} names some. */
    private static volatile List<String> named = parseOrNone(System.getProperty(PROPERTY));

    /**
     * The built-in packages and the user's, sorted, none inside another: the only prefix that can match a name is the
     * greatest one not after it, so a lookup is one binary search (this runs for every frame of a captured call site).
     */
    private static volatile String[] sorted = sort(named);

    private KnownLibraries() {
    }

    /** Whether the class belongs to a known library rather than to the user's application. */
    public static boolean contains(String className) {
        String[] prefixes = sorted;
        int at = Arrays.binarySearch(prefixes, className);
        int floor = at >= 0 ? at : -at - 2;
        return floor >= 0 && className.startsWith(prefixes[floor]);
    }

    /**
     * Names more libraries for this JVM, from the value of {@value #PROPERTY} (a configuration parameter or a system
     * property): package prefixes, comma separated ({@code com.acme.sdk, io.vendor.client}). A prefix names a whole
     * package and its subpackages, never a longer name ({@code com.acme} is not {@code com.acmecorp}).
     *
     * @throws IllegalArgumentException naming the entry that is not a package name
     */
    public static void name(String value) {
        List<String> prefixes = parse(value);
        if (!prefixes.equals(named)) {
            sorted = sort(prefixes);
            named = prefixes;
        }
    }

    private static String[] sort(List<String> named) {
        TreeSet<String> all = new TreeSet<>(Arrays.asList(PACKAGES));
        all.addAll(named);
        List<String> outermost = new ArrayList<>();
        for (String prefix : all) { // in order, a package comes right before those inside it
            if (outermost.isEmpty() || !prefix.startsWith(outermost.get(outermost.size() - 1))) {
                outermost.add(prefix);
            }
        }
        return outermost.toArray(String[]::new);
    }

    /** The packages the user named, as {@link #name} was given them (for a forked JVM or a container); empty if none. */
    public static String named() {
        return named.stream().map(p -> p.substring(0, p.length() - 1)).collect(Collectors.joining(","));
    }

    static List<String> parse(String value) {
        List<String> prefixes = new ArrayList<>();
        if (value == null) {
            return prefixes;
        }
        for (String entry : value.split(",")) {
            String prefix = entry.trim();
            if (prefix.isEmpty()) {
                continue;
            }
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException(PROPERTY + ": '" + prefix + "' is not a package name (expected package "
                        + "prefixes separated by commas, e.g. com.acme.sdk,io.vendor.client)");
            }
            prefixes.add(prefix.endsWith(".") ? prefix : prefix + ".");
        }
        return List.copyOf(prefixes);
    }

    /** At class initialization a bad system property must not break every capture: it is reported where it is read. */
    private static List<String> parseOrNone(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException reportedByTheExtension) {
            return List.of();
        }
    }
}
