/** Reads the rollups back: every aggregate by date range, granularity (day or month), filters and grouping. */
package dev.chatplatform.analytics.report;
