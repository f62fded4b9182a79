package dev.chatplatform.provider.catalog;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@Repository
class CatalogRepository {

    private static final String MODEL_COLUMNS =
            "m.id, m.provider, m.upstream_model, m.context_window, m.max_output_tokens, m.capabilities, m.aliases, m.tiers, "
                    + "m.created_at";

    private final JdbcClient jdbc;

    CatalogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Model> findModel(String id) {
        return jdbc.sql("select " + MODEL_COLUMNS + " from models m where m.id = ? or ? = any(m.aliases) "
                        + "order by (m.id = ?) desc limit 1")
                .param(id).param(id).param(id)
                .query((rs, n) -> model(rs))
                .optional();
    }

    /** Models with a price in force at {@code at}: the ones a caller can actually use. */
    List<Model> pricedModels(Instant at) {
        return jdbc.sql("select " + MODEL_COLUMNS + " from models m where exists "
                        + "(select 1 from model_prices p where p.model_id = m.id and p.effective_from <= ?) order by m.id")
                .param(Timestamp.from(at))
                .query((rs, n) -> model(rs))
                .list();
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

    private static Model model(ResultSet rs) throws SQLException {
        return new Model(rs.getString("id"), rs.getString("provider"), rs.getString("upstream_model"),
                rs.getInt("context_window"), rs.getInt("max_output_tokens"), strings(rs.getArray("capabilities")),
                strings(rs.getArray("aliases")), strings(rs.getArray("tiers")), rs.getTimestamp("created_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
