/** Adapter for Google Gemini's generateContent API on Google's official Gen AI Java SDK. */
package dev.chatplatform.provider.gemini;
