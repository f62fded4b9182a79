/** Account and API-key state, published by billing-service on compacted topics. */
package dev.chatplatform.contracts.billing;
