/** How rollups are shaped, shared by the consumers that write them and the reports that read them. */
package dev.chatplatform.analytics.rollup;
