/**
 * The tier each account is entitled to: assigned by an admin in local mode, or driven by Stripe
 * (Checkout, upgrades, downgrades at period end, cancellation, webhooks, dunning). Every change is
 * published on subscriptions.v1 and mirrored to the account's tier on accounts.v1.
 */
package dev.chatplatform.billing.subscription;
