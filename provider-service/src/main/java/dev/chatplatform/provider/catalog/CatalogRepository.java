package dev.chatplatform.provider.catalog;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Repository
class CatalogRepository {

    private static final String MODEL_COLUMNS =
            "m.id, m.provider, m.upstream_model, m.context_window, m.max_output_tokens, m.capabilities, m.aliases, m.tiers, "
                    + "m.fallbacks, m.enabled, m.created_at";

    private final JdbcClient jdbc;

    CatalogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Price> pricesOf(String modelId) {
        return jdbc.sql("""
                        select model_id, effective_from, input_micro_usd_per_mtok, output_micro_usd_per_mtok,
                               cached_input_micro_usd_per_mtok
                        from model_prices where model_id = ?""")
                .param(modelId)
                .query((rs, n) -> new Price(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5)))
                .list();
    }

    /** The rows of {@code model_deployments} for one model (empty: the model's own provider serves it). */
    List<Deployment> deploymentsOf(String modelId) {
        return jdbc.sql("select provider, upstream_model, weight from model_deployments where model_id = ? "
                        + "order by provider, upstream_model")
                .param(modelId)
                .query((rs, n) -> new Deployment(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list();
    }

    /** The whole catalog (models, deployments, price book) as one transaction sees it. */
    @Transactional(readOnly = true)
    CatalogSnapshot snapshot() {
        Map<String, List<Deployment>> deployments = new HashMap<>();
        jdbc.sql("select model_id, provider, upstream_model, weight from model_deployments "
                        + "order by model_id, provider, upstream_model")
                .query(rs -> {
                    deployments.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Deployment(rs.getString(2), rs.getString(3), rs.getInt(4)));
                });
        Map<String, List<Price>> prices = new HashMap<>();
        jdbc.sql("select model_id, effective_from, input_micro_usd_per_mtok, output_micro_usd_per_mtok, "
                        + "cached_input_micro_usd_per_mtok from model_prices")
                .query(rs -> {
                    prices.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Price(rs.getString(1),
                            rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                });
        return new CatalogSnapshot(allModels(), deployments, prices, Instant.now());
    }

    /** Every model, priced or not (for the admin API). */
    List<Model> allModels() {
        return jdbc.sql("select " + MODEL_COLUMNS + " from models m order by m.id").query((rs, n) -> model(rs)).list();
    }

    void insertIfAbsent(String id, String provider, String upstreamModel) {
        jdbc.sql("""
                        insert into models (id, provider, upstream_model, context_window, max_output_tokens, capabilities)
                        values (?, ?, ?, 128000, 8192, '{chat,streaming}') on conflict (id) do nothing""")
                .params(id, provider, upstreamModel)
                .update();
    }

    Optional<Model> findById(String id) {
        return jdbc.sql("select " + MODEL_COLUMNS + " from models m where m.id = ?").param(id)
                .query((rs, n) -> model(rs)).optional();
    }

    /** The model that has {@code name} as its id or one of its aliases, other than {@code exceptModel}. */
    Optional<String> ownerOfName(String name, String exceptModel) {
        return jdbc.sql("select id from models where (id = ? or ? = any(aliases)) and id <> ? limit 1")
                .params(name, name, exceptModel).query(String.class).optional();
    }

    void insertModel(Model m) {
        jdbc.sql("""
                        insert into models (id, provider, upstream_model, context_window, max_output_tokens, capabilities,
                                            aliases, tiers, fallbacks, enabled)
                        values (:id, :provider, :upstream, :context, :maxOutput, :capabilities, :aliases, :tiers,
                                :fallbacks, :enabled)""")
                .paramSource(modelParams(m))
                .update();
    }

    void updateModel(Model m) {
        jdbc.sql("""
                        update models set provider = :provider, upstream_model = :upstream, context_window = :context,
                               max_output_tokens = :maxOutput, capabilities = :capabilities, aliases = :aliases,
                               tiers = :tiers, fallbacks = :fallbacks, enabled = :enabled
                        where id = :id""")
                .paramSource(modelParams(m))
                .update();
    }

    void replaceDeployments(String modelId, List<Deployment> deployments) {
        jdbc.sql("delete from model_deployments where model_id = ?").param(modelId).update();
        for (Deployment d : deployments) {
            jdbc.sql("insert into model_deployments (model_id, provider, upstream_model, weight) values (?, ?, ?, ?)")
                    .params(modelId, d.provider(), d.upstreamModel(), d.weight()).update();
        }
    }

    /** Adds a price row; false when the model already has one with that exact {@code effectiveFrom}. */
    boolean insertPrice(Price p) {
        return jdbc.sql("""
                        insert into model_prices (model_id, effective_from, input_micro_usd_per_mtok,
                                                  output_micro_usd_per_mtok, cached_input_micro_usd_per_mtok)
                        values (?, ?, ?, ?, ?) on conflict do nothing""")
                .params(p.modelId(), Timestamp.from(p.effectiveFrom()), p.inputPerMillion(), p.outputPerMillion(),
                        p.cachedInputPerMillion())
                .update() == 1;
    }

    private static org.springframework.jdbc.core.namedparam.MapSqlParameterSource modelParams(Model m) {
        return new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                .addValue("id", m.id())
                .addValue("provider", m.provider())
                .addValue("upstream", m.upstreamModel())
                .addValue("context", m.contextWindow())
                .addValue("maxOutput", m.maxOutputTokens())
                .addValue("capabilities", m.capabilities().toArray(String[]::new))
                .addValue("aliases", m.aliases().toArray(String[]::new))
                .addValue("tiers", m.tiers().toArray(String[]::new))
                .addValue("fallbacks", m.fallbacks().toArray(String[]::new))
                .addValue("enabled", m.enabled());
    }

    private static Model model(ResultSet rs) throws SQLException {
        return new Model(rs.getString("id"), rs.getString("provider"), rs.getString("upstream_model"),
                rs.getInt("context_window"), rs.getInt("max_output_tokens"), strings(rs.getArray("capabilities")),
                strings(rs.getArray("aliases")), strings(rs.getArray("tiers")), strings(rs.getArray("fallbacks")),
                rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
