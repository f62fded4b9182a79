package dev.chatplatform.kit.audit;

import dev.chatplatform.kit.events.EventsAutoConfiguration;
import dev.chatplatform.kit.events.Outbox;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/** The {@link AuditLog} of every service with a database (and so an outbox and an {@code audit_log} table). */
@AutoConfiguration(after = EventsAutoConfiguration.class)
@ConditionalOnBean(Outbox.class)
public class AuditAutoConfiguration {

    @Bean
    AuditLog auditLog(JdbcClient jdbc, JsonMapper json, Outbox outbox, ObjectProvider<Clock> clock, Environment env) {
        return new AuditLog(jdbc, json, outbox, clock.getIfAvailable(Clock::systemUTC),
                env.getRequiredProperty("spring.application.name"));
    }
}
