/**
 * The platform's public event API: every event record, its logical versioned type name and its topic.
 * Analysts and every service depend on this module; it depends on nothing (no Spring, no JPA, no Jackson),
 * so a record here is the wire format and nothing else. Each type has a JSON Schema and an example under
 * {@code schemas/} and {@code examples/} on the classpath.
 */
package dev.chatplatform.contracts;
