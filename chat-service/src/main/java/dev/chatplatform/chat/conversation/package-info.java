/**
 * Conversations and their messages ({@code /api/v1/conversations/**}): CRUD with cursor pagination and
 * title search, and the message endpoint that builds the context, streams the answer, stores both
 * messages and meters the request. Every query is scoped to the caller's account.
 */
package dev.chatplatform.chat.conversation;
