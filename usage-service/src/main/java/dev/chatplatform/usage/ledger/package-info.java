/**
 * The usage ledger: one row per metered request, recorded once per usage event however often it is
 * delivered, and summed per account, period and model.
 */
package dev.chatplatform.usage.ledger;
