/**
 * OpenAI request models read by more than one service, each parsed and checked in one place: the edge service
 * (chat-service) and the service doing the work (provider-service) read the same body the same way and refuse
 * bad input with the same 400.
 */
package dev.chatplatform.kit.openai;
