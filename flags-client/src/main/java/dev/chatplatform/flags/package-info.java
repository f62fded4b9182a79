/**
 * Local flag evaluation for every service: an OpenFeature provider fed by the compacted {@code flags.v1}
 * topic, so evaluating a flag never makes a network call. Filled in by issue 7.
 */
package dev.chatplatform.flags;
