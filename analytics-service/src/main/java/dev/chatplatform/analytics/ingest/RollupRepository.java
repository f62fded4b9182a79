package dev.chatplatform.analytics.ingest;

import dev.chatplatform.analytics.rollup.LatencyBuckets;
import dev.chatplatform.analytics.rollup.VariantObservations;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.UsageRecorded;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Additive upserts ({@code x = x + excluded.x}): commutative, so consumers on different partitions (and
 * replicas) can apply events in any order; a transaction only locks the few rows of its own event.
 */
@Repository
class RollupRepository {

    private final JdbcClient jdbc;

    RollupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void countEvent(LocalDate day, String topic, String type) {
        jdbc.sql("""
                        insert into event_counts_daily (day, topic, event_type, events) values (:day, :topic, :type, 1)
                        on conflict (day, topic, event_type) do update set events = event_counts_daily.events + 1""")
                .param("day", day).param("topic", topic).param("type", type)
                .update();
    }

    void addUsage(LocalDate day, UsageRecorded u) {
        jdbc.sql("""
                        insert into usage_daily (day, account_id, model, provider, outcome, kind, requests,
                            input_tokens, cached_input_tokens, output_tokens, cost_micro_usd, streamed_requests,
                            estimated_requests)
                        values (:day, :account, :model, :provider, :outcome, :kind, 1, :input, :cached, :output, :cost,
                            :streamed, :estimated)
                        on conflict (day, account_id, model, provider, outcome, kind) do update set
                            requests = usage_daily.requests + 1,
                            input_tokens = usage_daily.input_tokens + excluded.input_tokens,
                            cached_input_tokens = usage_daily.cached_input_tokens + excluded.cached_input_tokens,
                            output_tokens = usage_daily.output_tokens + excluded.output_tokens,
                            cost_micro_usd = usage_daily.cost_micro_usd + excluded.cost_micro_usd,
                            streamed_requests = usage_daily.streamed_requests + excluded.streamed_requests,
                            estimated_requests = usage_daily.estimated_requests + excluded.estimated_requests""")
                .param("day", day).param("account", u.accountId()).param("model", u.model())
                .param("provider", u.provider()).param("outcome", u.outcome().name())
                .param("kind", u.kind().name().toLowerCase(java.util.Locale.ROOT))
                .param("input", u.inputTokens()).param("cached", u.cachedInputTokens())
                .param("output", u.outputTokens()).param("cost", u.costMicroUsd())
                .param("streamed", u.streamed() ? 1 : 0).param("estimated", u.estimated() ? 1 : 0)
                .update();
        addLatency(day, u, "latency", u.latencyMs());
        if (u.timeToFirstTokenMs() != null) {
            addLatency(day, u, "ttft", u.timeToFirstTokenMs());
        }
        jdbc.sql("insert into active_accounts_daily (day, account_id) values (:day, :account) on conflict do nothing")
                .param("day", day).param("account", u.accountId())
                .update();
    }

    private void addLatency(LocalDate day, UsageRecorded u, String metric, long millis) {
        jdbc.sql("""
                        insert into latency_histogram_daily (day, account_id, model, provider, metric, bucket, requests)
                        values (:day, :account, :model, :provider, :metric, :bucket, 1)
                        on conflict (day, account_id, model, provider, metric, bucket) do update set
                            requests = latency_histogram_daily.requests + 1""")
                .param("day", day).param("account", u.accountId()).param("model", u.model())
                .param("provider", u.provider()).param("metric", metric)
                .param("bucket", LatencyBuckets.bucketOf(millis))
                .update();
    }

    /** The tier of the newest version seen of an account, locking its row, if any. */
    Optional<AccountVersion> lockAccount(String accountId) {
        return jdbc.sql("select tier, version from account_snapshots where account_id = :id for update")
                .param("id", accountId)
                .query((rs, n) -> new AccountVersion(rs.getString("tier"), rs.getLong("version")))
                .optional();
    }

    void saveAccount(AccountChanged a) {
        jdbc.sql("""
                        insert into account_snapshots (account_id, tier, status, version, changed_at)
                        values (:id, :tier, :status, :version, :changedAt)
                        on conflict (account_id) do update set tier = excluded.tier, status = excluded.status,
                            version = excluded.version, changed_at = excluded.changed_at
                        where account_snapshots.version < excluded.version""")
                .param("id", a.accountId()).param("tier", a.tier()).param("status", a.status())
                .param("version", a.version()).param("changedAt", Timestamp.from(a.changedAt()))
                .update();
    }

    void markAccountDeleted(String accountId) {
        jdbc.sql("update account_snapshots set status = 'deleted' where account_id = :id")
                .param("id", accountId)
                .update();
    }

    void addConversion(AccountChanged a, String fromTier, LocalDate day) {
        jdbc.sql("""
                        insert into tier_conversions (account_id, version, from_tier, to_tier, day)
                        values (:id, :version, :from, :to, :day) on conflict do nothing""")
                .param("id", a.accountId()).param("version", a.version()).param("from", fromTier)
                .param("to", a.tier()).param("day", day)
                .update();
    }

    /**
     * One upstream attempt: counted per outcome and error class; when it is a variant observation
     * ({@link VariantObservations}), also for every flag variant it was served under.
     */
    void addLlmCall(LocalDate day, LlmCallRecorded c) {
        jdbc.sql("""
                        insert into llm_calls_daily (day, account_id, provider, model, outcome, error_class, attempts,
                            cost_micro_usd)
                        values (:day, :account, :provider, :model, :outcome, :errorClass, 1, :cost)
                        on conflict (day, account_id, provider, model, outcome, error_class) do update set
                            attempts = llm_calls_daily.attempts + 1,
                            cost_micro_usd = llm_calls_daily.cost_micro_usd + excluded.cost_micro_usd""")
                .param("day", day).param("account", c.accountId()).param("provider", c.provider())
                .param("model", c.model()).param("outcome", c.outcome().name())
                .param("errorClass", c.errorClass() == null ? "" : c.errorClass()).param("cost", c.costMicroUsd())
                .update();
        Boolean failed = VariantObservations.failed(c.outcome());
        if (failed == null) {
            return;
        }
        for (Map.Entry<String, String> fv : new TreeMap<>(c.flagVariants()).entrySet()) {
            jdbc.sql("""
                            insert into variant_daily (day, flag_key, variant, observations, errors, cost_micro_usd,
                                input_tokens, cached_input_tokens, output_tokens)
                            values (:day, :flag, :variant, 1, :errors, :cost, :input, :cached, :output)
                            on conflict (day, flag_key, variant) do update set
                                observations = variant_daily.observations + 1,
                                errors = variant_daily.errors + excluded.errors,
                                cost_micro_usd = variant_daily.cost_micro_usd + excluded.cost_micro_usd,
                                input_tokens = variant_daily.input_tokens + excluded.input_tokens,
                                cached_input_tokens = variant_daily.cached_input_tokens + excluded.cached_input_tokens,
                                output_tokens = variant_daily.output_tokens + excluded.output_tokens""")
                    .param("day", day).param("flag", fv.getKey()).param("variant", fv.getValue())
                    .param("errors", failed ? 1 : 0).param("cost", c.costMicroUsd()).param("input", c.inputTokens())
                    .param("cached", c.cachedInputTokens()).param("output", c.outputTokens())
                    .update();
            addVariantLatency(day, fv.getKey(), fv.getValue(), "latency", c.latencyMs());
            if (c.timeToFirstTokenMs() != null) {
                addVariantLatency(day, fv.getKey(), fv.getValue(), "ttft", c.timeToFirstTokenMs());
            }
        }
    }

    private void addVariantLatency(LocalDate day, String flag, String variant, String metric, long millis) {
        jdbc.sql("""
                        insert into variant_latency_daily (day, flag_key, variant, metric, bucket, observations)
                        values (:day, :flag, :variant, :metric, :bucket, 1)
                        on conflict (day, flag_key, variant, metric, bucket) do update set
                            observations = variant_latency_daily.observations + 1""")
                .param("day", day).param("flag", flag).param("variant", variant).param("metric", metric)
                .param("bucket", LatencyBuckets.bucketOf(millis))
                .update();
    }

    /** A rollout decision, with the rules it breached ("rule variant (source)", comma-separated). */
    void addDecision(String eventId, LocalDate day, RolloutDecided d) {
        String breaches = d.evidence().stream().filter(e -> "BREACH".equals(e.verdict()))
                .map(e -> e.rule() + " " + e.variant() + " (" + e.source() + ")")
                .collect(Collectors.joining(", "));
        jdbc.sql("""
                        insert into rollout_decisions (event_id, flag_key, decision, flag_version, phase, percentage,
                            reason, breaches, decided_at, day)
                        values (:id, :flag, :decision, :version, :phase, :percentage, :reason, :breaches, :at, :day)
                        on conflict (event_id) do nothing""")
                .param("id", eventId).param("flag", d.flagKey()).param("decision", d.decision().name())
                .param("version", d.flagVersion()).param("phase", d.phase()).param("percentage", d.percentage())
                .param("reason", d.reason() == null ? "" : d.reason()).param("breaches", breaches)
                .param("at", Timestamp.from(d.decidedAt())).param("day", day)
                .update();
    }

    /** Keeps every version (the state at an instant is the highest version written before it). */
    void addSubscriptionVersion(SubscriptionChanged s) {
        jdbc.sql("""
                        insert into subscription_versions (account_id, version, tier, status, source,
                            cancel_at_period_end, monthly_amount, currency, changed_at)
                        values (:account, :version, :tier, :status, :source, :cancel, :amount, :currency, :at)
                        on conflict (account_id, version) do nothing""")
                .param("account", s.accountId()).param("version", s.version()).param("tier", s.tier())
                .param("status", s.status()).param("source", s.source()).param("cancel", s.cancelAtPeriodEnd())
                .param("amount", s.monthlyAmount()).param("currency", s.currency())
                .param("at", Timestamp.from(s.changedAt()))
                .update();
    }

    /** A paid invoice, counted once per invoice id whatever the number of events saying so. */
    void addPaidInvoice(LocalDate day, InvoiceChanged i) {
        jdbc.sql("""
                        insert into invoices_paid (invoice_id, account_id, currency, amount_paid, paid_at, day)
                        values (:invoice, :account, :currency, :amount, :at, :day)
                        on conflict (invoice_id) do nothing""")
                .param("invoice", i.invoiceId()).param("account", i.accountId())
                .param("currency", i.currency() == null ? null : i.currency().toLowerCase(Locale.ROOT))
                .param("amount", i.amountPaid()).param("at", Timestamp.from(i.occurredAt())).param("day", day)
                .update();
    }

    void addConversationChange(LocalDate day, ConversationChanged c) {
        jdbc.sql("""
                        insert into conversations_daily (day, account_id, model, created, updated, deleted)
                        values (:day, :account, :model, :created, :updated, :deleted)
                        on conflict (day, account_id, model) do update set
                            created = conversations_daily.created + excluded.created,
                            updated = conversations_daily.updated + excluded.updated,
                            deleted = conversations_daily.deleted + excluded.deleted""")
                .param("day", day).param("account", c.accountId()).param("model", c.model())
                .param("created", c.action() == ConversationChanged.Action.CREATED ? 1 : 0)
                .param("updated", c.action() == ConversationChanged.Action.UPDATED ? 1 : 0)
                .param("deleted", c.action() == ConversationChanged.Action.DELETED ? 1 : 0)
                .update();
    }

    void addMessage(LocalDate day, MessageRecorded m) {
        jdbc.sql("""
                        insert into messages_daily (day, account_id, model, role, status, messages, input_tokens,
                            output_tokens)
                        values (:day, :account, :model, :role, :status, 1, :input, :output)
                        on conflict (day, account_id, model, role, status) do update set
                            messages = messages_daily.messages + 1,
                            input_tokens = messages_daily.input_tokens + excluded.input_tokens,
                            output_tokens = messages_daily.output_tokens + excluded.output_tokens""")
                .param("day", day).param("account", m.accountId()).param("model", m.model()).param("role", m.role())
                .param("status", m.status()).param("input", m.inputTokens()).param("output", m.outputTokens())
                .update();
    }

    record AccountVersion(String tier, long version) {
    }
}
