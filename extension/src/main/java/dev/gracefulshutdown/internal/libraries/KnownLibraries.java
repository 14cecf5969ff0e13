package dev.gracefulshutdown.internal.libraries;

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
    };

    private KnownLibraries() {
    }

    /** Whether the class belongs to a known library rather than to the user's application. */
    public static boolean contains(String className) {
        for (String prefix : PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
