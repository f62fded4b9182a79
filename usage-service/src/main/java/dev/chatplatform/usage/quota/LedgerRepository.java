package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.chatplatform.usage.quota.Sql.instant;
import static dev.chatplatform.usage.quota.Sql.ts;

@Repository
class LedgerRepository {

    /**
     * The ledger row of the hold's month, locked, with what is left of each limit for this request. The grant
     * is the largest output that fits all limits: {@code tokens_left} after the prompt, and the cost left, scaled
     * by a million so that {@code ceil(x / 1e6) <= left} becomes the exact {@code x <= left * 1e6}.
     */
    private static final String CURRENT = """
            with cur as (
                select l.account_id, l.month_start,
                       case when l.day_start = :dayStart then l.day_messages_used + l.day_messages_held else 0 end
                           as day_messages,
                       t.messages_per_day,
                       t.tokens_per_month - l.tokens_used - l.tokens_held - :promptTokens as tokens_left,
                       (t.cost_micro_usd_per_month - l.cost_used - l.cost_held)::numeric * 1000000
                           - :promptTokens::numeric * :inPrice as cost_left_scaled,
                       ('*' = any(t.allowed_models) or :model = any(t.allowed_models)) as model_allowed,
                       t.name as tier
                from quota_ledger l
                join quota_accounts a on a.account_id = l.account_id
                join tiers t on t.name = a.tier
                where l.account_id = :accountId and l.month_start = :monthStart
                %s
            ), g as (
                select cur.*, least(:maxTokens::bigint, tokens_left,
                           case when :outPrice::bigint = 0 then :maxTokens::bigint
                                else floor(cost_left_scaled / :outPrice::bigint)::bigint end) as granted
                from cur
            )
            """;

    private final JdbcClient jdbc;

    LedgerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void ensureRow(String accountId, Periods p) {
        jdbc.sql("""
                        insert into quota_ledger (account_id, month_start, month_end, day_start, day_end)
                        values (:id, :ms, :me, :ds, :de) on conflict (account_id, month_start) do nothing""")
                .param("id", accountId).param("ms", ts(p.monthStart())).param("me", ts(p.monthEnd()))
                .param("ds", ts(p.dayStart())).param("de", ts(p.dayEnd())).update();
    }

    /**
     * Reserves one message, {@code promptTokens + granted} tokens and their worst-case cost in ONE conditional
     * UPDATE: the row is locked, the grant computed from its current values, and the update happens only when
     * every limit still fits. Concurrent holds on the account queue on the row lock, on any number of replicas.
     *
     * @return what was reserved, or empty when the hold does not fit
     */
    Optional<Reserved> reserve(String accountId, Periods p, String model, long promptTokens, long maxTokens,
                           long minTokens, long inPrice, long outPrice) {
        return jdbc.sql(CURRENT.formatted("for update of l") + """
                        update quota_ledger l set
                            day_messages_used = case when l.day_start = :dayStart then l.day_messages_used else 0 end,
                            day_messages_held = case when l.day_start = :dayStart then l.day_messages_held else 0 end + 1,
                            lease_messages_held = case when l.day_start = :dayStart then l.lease_messages_held else 0 end,
                            day_start = :dayStart, day_end = :dayEnd,
                            tokens_held = l.tokens_held + :promptTokens + g.granted,
                            cost_held = l.cost_held + ceil((:promptTokens::numeric * :inPrice
                                        + g.granted::numeric * :outPrice::bigint) / 1000000)::bigint
                        from g
                        where l.account_id = g.account_id and l.month_start = g.month_start
                          and g.model_allowed
                          and g.day_messages + 1 <= g.messages_per_day
                          and g.cost_left_scaled >= 0
                          and g.granted >= least(:maxTokens::bigint, :minTokens::bigint)
                        returning g.granted, :promptTokens + g.granted as tokens,
                            ceil((:promptTokens::numeric * :inPrice + g.granted::numeric * :outPrice::bigint)
                                 / 1000000)::bigint as cost, g.tier, l.*""")
                .params(params(accountId, p, model, promptTokens, maxTokens, inPrice, outPrice))
                .param("minTokens", minTokens)
                .query((rs, i) -> new Reserved(rs.getLong("granted"), rs.getLong("tokens"), rs.getLong("cost"),
                        rs.getString("tier"), map(rs, i)))
                .optional();
    }

    /** Which limit refuses a hold (read without locking, for the error message only). */
    LimitName refusal(String accountId, Periods p, String model, long promptTokens, long maxTokens, long minTokens,
                      long inPrice, long outPrice) {
        Map<String, Object> row = jdbc.sql(CURRENT.formatted("") + """
                        select model_allowed, day_messages + 1 <= messages_per_day as messages_fit,
                               tokens_left >= least(:maxTokens::bigint, :minTokens::bigint) as tokens_fit
                        from g""")
                .params(params(accountId, p, model, promptTokens, maxTokens, inPrice, outPrice))
                .param("minTokens", minTokens)
                .query().singleRow();
        if (!Boolean.TRUE.equals(row.get("model_allowed"))) {
            return null;
        }
        if (!Boolean.TRUE.equals(row.get("messages_fit"))) {
            return LimitName.MESSAGES_PER_DAY;
        }
        if (!Boolean.TRUE.equals(row.get("tokens_fit"))) {
            return LimitName.TOKENS_PER_MONTH;
        }
        return LimitName.COST_MICRO_USD_PER_MONTH;
    }

    /** Gives a closed hold's reservation back and, when it was settled, adds the real usage in its place. */
    LedgerRow closeHold(Hold hold, long usedTokens, long usedCost, boolean settled) {
        return jdbc.sql("""
                        update quota_ledger set
                            day_messages_held = day_messages_held - case when day_start = :holdDay then 1 else 0 end,
                            day_messages_used = day_messages_used
                                + case when day_start = :holdDay and :settled then 1 else 0 end,
                            tokens_held = tokens_held - :heldTokens, cost_held = cost_held - :heldCost,
                            tokens_used = tokens_used + :usedTokens, cost_used = cost_used + :usedCost
                        where account_id = :id and month_start = :ms
                        returning *""")
                .param("holdDay", ts(hold.dayStart())).param("settled", settled)
                .param("heldTokens", hold.heldTokens()).param("heldCost", hold.heldCostMicroUsd())
                .param("usedTokens", usedTokens).param("usedCost", usedCost)
                .param("id", hold.accountId()).param("ms", ts(hold.monthStart()))
                .query(LedgerRepository::map).single();
    }

    /** Adds usage that no open hold covered, in the periods it occurred in. */
    LedgerRow addUsage(String accountId, Periods p, long tokens, long cost) {
        ensureRow(accountId, p);
        return jdbc.sql("""
                        update quota_ledger set
                            day_messages_used = case when day_start = :ds then day_messages_used + 1
                                                     when day_start < :ds then 1 else day_messages_used end,
                            day_messages_held = case when day_start < :ds then 0 else day_messages_held end,
                            lease_messages_held = case when day_start < :ds then 0 else lease_messages_held end,
                            day_end = case when day_start < :ds then :de else day_end end,
                            day_start = greatest(day_start, :ds),
                            tokens_used = tokens_used + :tokens, cost_used = cost_used + :cost
                        where account_id = :id and month_start = :ms
                        returning *""")
                .param("ds", ts(p.dayStart())).param("de", ts(p.dayEnd()))
                .param("tokens", tokens).param("cost", cost)
                .param("id", accountId).param("ms", ts(p.monthStart()))
                .query(LedgerRepository::map).single();
    }

    /**
     * Leases a block of what is left to one holder, in ONE conditional UPDATE of the account's ledger row (as a
     * hold does): {@code fraction} of what is left of each limit, at most the tier's requests and tokens per
     * minute, and only when every part reaches its minimum (near a limit there is no lease: requests take exact
     * holds). The block is held ({@code *_held}) and counted in the lease pool ({@code lease_*_held}).
     *
     * @return the leased block, or empty when it would be below a minimum
     */
    Optional<Leased> lease(String accountId, Periods p, double fraction, long minMessages, long minTokens,
                           long minCost) {
        return jdbc.sql("""
                        with cur as (
                            select l.account_id, l.month_start, t.name as tier, t.requests_per_minute,
                                   t.tokens_per_minute, t.allowed_models, t.messages_per_day, t.tokens_per_month,
                                   t.cost_micro_usd_per_month,
                                   t.messages_per_day - case when l.day_start = :dayStart
                                       then l.day_messages_used + l.day_messages_held else 0 end as messages_left,
                                   t.tokens_per_month - l.tokens_used - l.tokens_held as tokens_left,
                                   t.cost_micro_usd_per_month - l.cost_used - l.cost_held as cost_left
                            from quota_ledger l
                            join quota_accounts a on a.account_id = l.account_id
                            join tiers t on t.name = a.tier
                            where l.account_id = :accountId and l.month_start = :monthStart
                            for update of l
                        ), g as (
                            select cur.*,
                                   least(floor(greatest(messages_left, 0) * :fraction)::bigint, requests_per_minute) as messages,
                                   least(floor(greatest(tokens_left, 0) * :fraction)::bigint, tokens_per_minute) as tokens,
                                   floor(greatest(cost_left, 0) * :fraction)::bigint as cost
                            from cur
                        )
                        update quota_ledger l set
                            day_messages_used = case when l.day_start = :dayStart then l.day_messages_used else 0 end,
                            day_messages_held = case when l.day_start = :dayStart then l.day_messages_held else 0 end
                                + g.messages,
                            lease_messages_held = case when l.day_start = :dayStart then l.lease_messages_held else 0 end
                                + g.messages,
                            day_start = :dayStart, day_end = :dayEnd,
                            tokens_held = l.tokens_held + g.tokens, lease_tokens_held = l.lease_tokens_held + g.tokens,
                            cost_held = l.cost_held + g.cost, lease_cost_held = l.lease_cost_held + g.cost
                        from g
                        where l.account_id = g.account_id and l.month_start = g.month_start
                          and g.messages >= :minMessages and g.tokens >= :minTokens and g.cost >= :minCost
                        returning g.messages, g.tokens, g.cost, g.tier, g.allowed_models, g.messages_per_day,
                                  g.tokens_per_month, g.cost_micro_usd_per_month""")
                .param("accountId", accountId).param("monthStart", ts(p.monthStart()))
                .param("dayStart", ts(p.dayStart())).param("dayEnd", ts(p.dayEnd()))
                .param("fraction", fraction).param("minMessages", minMessages).param("minTokens", minTokens)
                .param("minCost", minCost)
                .query((rs, i) -> new Leased(rs.getLong("messages"), rs.getLong("tokens"), rs.getLong("cost"),
                        rs.getString("tier"), List.of((String[]) rs.getArray("allowed_models").getArray()),
                        maxima(rs)))
                .optional();
    }

    /**
     * Takes one lease's share out of the lease pool of the lease's period, and out of "held" with it (at most what
     * the pool holds): what its holder gave back unused, what a usage event naming it turned into usage, or what
     * the sweep releases once the lease ended long ago. Messages only while the ledger is still on the lease's day
     * (a new day starts with nothing held).
     */
    void releaseLeased(LeaseRepository.Share share) {
        jdbc.sql("""
                        with r as (
                            select account_id, month_start,
                                   case when day_start = :day then least(lease_messages_held, :messages) else 0 end as m,
                                   least(lease_tokens_held, :tokens) as t, least(lease_cost_held, :cost) as c
                            from quota_ledger where account_id = :id and month_start = :ms for update
                        )
                        update quota_ledger l set
                            day_messages_held = l.day_messages_held - r.m, lease_messages_held = l.lease_messages_held - r.m,
                            tokens_held = l.tokens_held - r.t, lease_tokens_held = l.lease_tokens_held - r.t,
                            cost_held = l.cost_held - r.c, lease_cost_held = l.lease_cost_held - r.c
                        from r where l.account_id = r.account_id and l.month_start = r.month_start""")
                .param("id", share.accountId()).param("ms", ts(share.monthStart())).param("day", ts(share.dayStart()))
                .param("messages", share.messages()).param("tokens", share.tokens()).param("cost", share.cost())
                .update();
    }

    Optional<LedgerRow> find(String accountId, Instant monthStart) {
        return jdbc.sql("select * from quota_ledger where account_id = :id and month_start = :ms")
                .param("id", accountId).param("ms", ts(monthStart))
                .query(LedgerRepository::map).optional();
    }

    /**
     * What a hold reserved: output tokens granted, tokens (prompt + granted) and worst-case cost held; the tier
     * the grant was computed for and the ledger row as the reservation left it.
     */
    record Reserved(long granted, long tokens, long costMicroUsd, String tier, LedgerRow row) {
    }

    /** What a lease took from what was left, and the tier (and its models) it was taken under. */
    /** A leased block, and the tier it was leased under: its name, allowed models and limits' maxima (by wire name). */
    record Leased(long messages, long tokens, long costMicroUsd, String tier, List<String> allowedModels,
                  Map<String, Long> limits) {
    }

    /** The tier's maximum of every limit, by wire name (the tiers table's column), in {@link LimitName} order. */
    private static Map<String, Long> maxima(ResultSet rs) throws SQLException {
        Map<String, Long> limits = new LinkedHashMap<>();
        for (LimitName name : LimitName.values()) {
            limits.put(name.wireName(), rs.getLong(name.wireName()));
        }
        return limits;
    }

    private static Map<String, Object> params(String accountId, Periods p, String model, long promptTokens,
                                              long maxTokens, long inPrice, long outPrice) {
        return Map.of("accountId", accountId, "monthStart", ts(p.monthStart()), "dayStart", ts(p.dayStart()),
                "dayEnd", ts(p.dayEnd()), "model", model, "promptTokens", promptTokens, "maxTokens", maxTokens,
                "inPrice", inPrice, "outPrice", outPrice);
    }

    private static LedgerRow map(ResultSet rs, int row) throws SQLException {
        return new LedgerRow(rs.getString("account_id"), instant(rs, "month_start"), instant(rs, "month_end"),
                instant(rs, "day_start"), instant(rs, "day_end"), rs.getLong("day_messages_used"),
                rs.getLong("day_messages_held"), rs.getLong("tokens_used"), rs.getLong("tokens_held"),
                rs.getLong("cost_used"), rs.getLong("cost_held"));
    }
}
