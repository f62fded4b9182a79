package dev.chatplatform.usage.quota.web;

/** {@code PUT /api/v1/usage/admin/accounts/{accountId}/anchor}: an IANA zone and a day of month 1-28. */
record AnchorRequest(String timeZone, Integer monthlyAnchorDay) {
}
