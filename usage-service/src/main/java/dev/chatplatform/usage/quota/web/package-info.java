/** HTTP: holds for chat-service ({@code /api/v1/holds}) and the admin API for tiers and period anchors. */
package dev.chatplatform.usage.quota.web;
