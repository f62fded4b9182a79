/** usage-service: meters usage events from Kafka into its ledger and serves usage summaries. */
package dev.chatplatform.usage;
