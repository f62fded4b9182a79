/** The envelope every event travels in: logical type names, CloudEvents headers, deterministic ids. */
package dev.chatplatform.contracts.event;
