/** billing-service: owns accounts and API keys and publishes their state on accounts.v1 and api-keys.v1. */
package dev.chatplatform.billing;
