/**
 * Consumers of every topic of the event catalog into PostgreSQL rollups: each event is applied once (its id in
 * {@code processed_events} commits with its increments) and lands in the UTC day it happened.
 */
package dev.chatplatform.analytics.ingest;
