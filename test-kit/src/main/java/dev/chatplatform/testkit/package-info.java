/**
 * Real infrastructure for tests without Docker: one embedded Kafka broker (KRaft) and one embedded
 * PostgreSQL per test JVM, shared by every test class of a module; each Spring context gets a database
 * of its own. Annotate a test with {@link dev.chatplatform.testkit.PlatformIntegrationTest}.
 */
package dev.chatplatform.testkit;
