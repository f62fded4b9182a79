package dev.chatplatform.chat.conversation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

@Repository
class SettingsRepository {

    private final JdbcClient jdbc;

    SettingsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Settings> find(String accountId) {
        return jdbc.sql("select * from account_settings where account_id = :account").param("account", accountId)
                .query((rs, n) -> new Settings(Settings.OBJECT, rs.getString("default_model"),
                        rs.getString("default_system_prompt"), rs.getBoolean("show_cost"), rs.getString("theme")))
                .optional();
    }

    void save(String accountId, Settings s, Instant now) {
        jdbc.sql("""
                        insert into account_settings (account_id, default_model, default_system_prompt, show_cost, theme, updated_at)
                        values (:account, :model, :prompt, :showCost, :theme, :now)
                        on conflict (account_id) do update set default_model = excluded.default_model,
                            default_system_prompt = excluded.default_system_prompt, show_cost = excluded.show_cost,
                            theme = excluded.theme, updated_at = excluded.updated_at""")
                .param("account", accountId).param("model", s.defaultModel()).param("prompt", s.defaultSystemPrompt())
                .param("showCost", s.showCost()).param("theme", s.theme())
                .param("now", now.atOffset(ZoneOffset.UTC)).update();
    }
}
