/** Side-by-side comparison of a flag's variants (error rate, latency, cost, volume) with the guard's verdict. */
package dev.chatplatform.rollout.guard.web;
