/**
 * Runs the whole platform on one machine with nothing installed but a JDK: a real PostgreSQL and a real
 * Kafka broker (KRaft), embedded in this JVM with their data in {@code PLATFORM_DATA_DIR}, then every
 * service as its own JVM from its built jar, then a demo account and API key created through the
 * gateway and billing-service exactly as a user would.
 */
package dev.chatplatform.launcher;
