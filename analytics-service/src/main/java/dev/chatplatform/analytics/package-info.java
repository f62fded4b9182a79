/** analytics-service: aggregates of every topic for people and analysts (issue 8): ingest, rollup, report, dashboard. */
package dev.chatplatform.analytics;
