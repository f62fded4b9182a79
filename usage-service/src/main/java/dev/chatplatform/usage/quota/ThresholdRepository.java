package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

import static dev.chatplatform.usage.quota.Sql.instant;
import static dev.chatplatform.usage.quota.Sql.ts;

@Repository
class ThresholdRepository {

    private final JdbcClient jdbc;

    ThresholdRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a crossing; false when this account, limit, period and threshold was recorded before. */
    boolean record(String accountId, LimitState limit, int threshold, String tier) {
        return jdbc.sql("""
                        insert into threshold_crossings (account_id, limit_name, period_start, threshold, period_end,
                            tier, max_value, used_value)
                        values (:id, :limit, :ps, :threshold, :pe, :tier, :max, :used)
                        on conflict do nothing""")
                .param("id", accountId).param("limit", limit.name().wireName())
                .param("ps", ts(limit.periodStart())).param("threshold", threshold)
                .param("pe", ts(limit.periodEnd())).param("tier", tier)
                .param("max", limit.max()).param("used", limit.used())
                .update() == 1;
    }

    /** Crossings not e-mailed yet, locked so that another replica's mailer skips them. */
    List<ThresholdCrossing> lockPending(int limit) {
        return jdbc.sql("""
                        select c.*, a.email from threshold_crossings c
                        left join quota_accounts a on a.account_id = c.account_id
                        where c.notified_at is null order by c.crossed_at limit :limit
                        for update of c skip locked""")
                .param("limit", limit)
                .query((rs, i) -> new ThresholdCrossing(rs.getString("account_id"), rs.getString("limit_name"),
                        instant(rs, "period_start"), rs.getInt("threshold"), instant(rs, "period_end"),
                        rs.getString("tier"), rs.getLong("max_value"), rs.getLong("used_value"),
                        instant(rs, "crossed_at"), rs.getString("email")))
                .list();
    }

    void markNotified(ThresholdCrossing c, String via) {
        jdbc.sql("""
                        update threshold_crossings set notified_at = now(), notified_via = :via
                        where account_id = :id and limit_name = :limit and period_start = :ps and threshold = :threshold""")
                .param("via", via).param("id", c.accountId()).param("limit", c.limitName())
                .param("ps", ts(c.periodStart())).param("threshold", c.threshold())
                .update();
    }
}
