/**
 * What every request meets at the gateway besides authentication: request ids and access logs, the body
 * size limit, and OpenAI-shaped errors for anything that goes wrong (unknown path, backend down...).
 */
package dev.chatplatform.gateway.edge;
