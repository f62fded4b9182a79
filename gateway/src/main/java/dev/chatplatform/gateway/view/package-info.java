/**
 * Following a compacted topic into an in-memory view: every replica reads the whole topic from the
 * beginning, keeps following it, and knows when it has caught up (for readiness).
 */
package dev.chatplatform.gateway.view;
