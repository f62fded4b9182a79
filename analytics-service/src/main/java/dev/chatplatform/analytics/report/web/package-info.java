/** The JSON and CSV API of the aggregates, for callers with the analyst or admin scope. */
package dev.chatplatform.analytics.report.web;
