/**
 * The Spring TestContext integration, for {@code @SpringBootTest} and {@code @SpringJUnitConfig} classes annotated
 * with {@code @GracefulShutdownTest}: the test's ApplicationContext is the application. Spring finds these classes
 * through {@code META-INF/spring.factories}; nothing else of the kit loads them, so the kit needs no Spring
 * without it.
 *
 * <ul>
 *   <li>{@link dev.gracefulshutdown.spring.GracefulShutdownContextCustomizerFactory}: a kit test gets a context of
 *       its own, loaded inside its application lifetime, with the shutdown hook a production context has.</li>
 *   <li>{@link dev.gracefulshutdown.spring.GracefulShutdownTestExecutionListener}: after the simulated shutdown the
 *       closed context leaves Spring's cache without disturbing Spring's own after-test listeners.</li>
 * </ul>
 */
package dev.gracefulshutdown.spring;
