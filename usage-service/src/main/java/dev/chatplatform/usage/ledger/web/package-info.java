/** {@code /api/v1/usage/...}: usage summaries with the current quota, daily history and CSV export. */
package dev.chatplatform.usage.ledger.web;
