/**
 * What every service does the same way, so each does it one way: publishing events through a
 * transactional outbox, consuming them idempotently, trusting only gateway-asserted identity,
 * answering errors in one JSON shape, and carrying request ids. Auto-configured; a service only
 * adds the dependency.
 */
package dev.chatplatform.kit;
