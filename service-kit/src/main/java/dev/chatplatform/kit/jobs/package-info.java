/**
 * Work that must eventually happen after a commit (send a mail, call Stripe, process a webhook), with one
 * retry policy and one place to see what failed. A service declares a {@link dev.chatplatform.kit.jobs.JobHandler}
 * bean per {@link dev.chatplatform.kit.jobs.JobKind} and calls {@link dev.chatplatform.kit.jobs.Jobs#enqueue}
 * inside the transaction that makes the job necessary. Jobs live in the service's own PostgreSQL, in
 * db-scheduler's {@code scheduled_tasks} table, and are run by db-scheduler; a failed attempt is retried with
 * exponential back-off ({@link dev.chatplatform.kit.jobs.BackoffPolicy}), and a job that fails permanently
 * ({@link dev.chatplatform.kit.jobs.PermanentJobFailure}) or too often is parked with its reason until an
 * operator retries it. Auto-configured only where db-scheduler is on the classpath.
 */
package dev.chatplatform.kit.jobs;
