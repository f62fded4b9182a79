/** HTTP API of plans: set, read and advance a flag's phased plan (admin scope). */
package dev.chatplatform.rollout.plan.web;
