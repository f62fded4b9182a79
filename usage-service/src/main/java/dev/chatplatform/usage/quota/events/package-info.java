/** Follows billing's compacted topics (subscriptions.v1, accounts.v1) for each account's tier and e-mail. */
package dev.chatplatform.usage.quota.events;
