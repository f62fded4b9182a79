package dev.chatplatform.usage.quota.web;

/**
 * {@code PUT /api/v1/usage/admin/accounts/{accountId}/anchor}: an IANA zone and a day of month 1-28.
 *
 * @param reason why (optional): kept in the audit log with the change
 */
record AnchorRequest(String timeZone, Integer monthlyAnchorDay, String reason) {
}
