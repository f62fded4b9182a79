/**
 * The dashboard page: static HTML, CSS and Apache ECharts charts (the console's chart library) served under
 * {@code /api/v1/analytics/dashboard/} (so the gateway's analytics route reaches it). The page holds no data and
 * is public; its script reads every number from the JSON API with the viewer's credential.
 */
package dev.chatplatform.analytics.dashboard;
