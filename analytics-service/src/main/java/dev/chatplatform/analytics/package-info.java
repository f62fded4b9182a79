/** analytics-service: aggregates of every topic for people and analysts (issue 8); for now it only boots. */
package dev.chatplatform.analytics;
