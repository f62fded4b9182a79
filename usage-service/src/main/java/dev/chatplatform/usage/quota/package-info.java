/**
 * Quotas: tiers and their limits, the accounts' tiers and period anchors, the budget ledger (hold, settle,
 * release, expire) with one conditional UPDATE per hold, quota.v1 state, 80/90/100 % threshold events and e-mails.
 */
package dev.chatplatform.usage.quota;
