/**
 * The admin API over a service's dead letters ({@link dev.chatplatform.kit.events.DeadLetters}): list them with
 * their reason, apply one again through its consumer, audited.
 */
package dev.chatplatform.kit.deadletters;
