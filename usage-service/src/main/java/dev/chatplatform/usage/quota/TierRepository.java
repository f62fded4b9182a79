package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@Repository
class TierRepository {

    private static final String COLUMNS = """
            name, messages_per_day, tokens_per_month, cost_micro_usd_per_month, requests_per_minute,
            tokens_per_minute, array_to_string(allowed_models, ',') as allowed_models, updated_at""";

    private final JdbcClient jdbc;

    TierRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Tier> findAll() {
        return jdbc.sql("select " + COLUMNS + " from tiers order by messages_per_day, name").query(TierRepository::map).list();
    }

    Optional<Tier> find(String name) {
        return jdbc.sql("select " + COLUMNS + " from tiers where name = :name").param("name", name)
                .query(TierRepository::map).optional();
    }

    /** Creates or replaces a tier. Model ids are stored joined by commas, so they never contain one. */
    void upsert(Tier tier) {
        jdbc.sql("""
                        insert into tiers (name, messages_per_day, tokens_per_month, cost_micro_usd_per_month,
                            requests_per_minute, tokens_per_minute, allowed_models)
                        values (:name, :messages, :tokens, :cost, :rpm, :tpm, string_to_array(:models, ','))
                        on conflict (name) do update set messages_per_day = excluded.messages_per_day,
                            tokens_per_month = excluded.tokens_per_month,
                            cost_micro_usd_per_month = excluded.cost_micro_usd_per_month,
                            requests_per_minute = excluded.requests_per_minute,
                            tokens_per_minute = excluded.tokens_per_minute,
                            allowed_models = excluded.allowed_models, updated_at = now()""")
                .param("name", tier.name())
                .param("messages", tier.messagesPerDay())
                .param("tokens", tier.tokensPerMonth())
                .param("cost", tier.costMicroUsdPerMonth())
                .param("rpm", tier.requestsPerMinute())
                .param("tpm", tier.tokensPerMinute())
                .param("models", String.join(",", tier.allowedModels()))
                .update();
    }

    private static Tier map(ResultSet rs, int row) throws SQLException {
        String models = rs.getString("allowed_models");
        return new Tier(rs.getString("name"), rs.getLong("messages_per_day"), rs.getLong("tokens_per_month"),
                rs.getLong("cost_micro_usd_per_month"), rs.getLong("requests_per_minute"),
                rs.getLong("tokens_per_minute"),
                models == null || models.isEmpty() ? List.of() : Arrays.asList(models.split(",")),
                Sql.instant(rs, "updated_at"));
    }
}
