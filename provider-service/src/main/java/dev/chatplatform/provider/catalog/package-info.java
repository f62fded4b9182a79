/**
 * The model catalog and the dated price book: which models exist, who serves them, what they cost at a
 * given instant, and the cost arithmetic in integer micro-USD. Serves {@code GET /v1/models}.
 */
package dev.chatplatform.provider.catalog;
