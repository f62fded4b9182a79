package dev.chatplatform.kit.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.config.PlatformProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * Jobs for services that have db-scheduler on the classpath and declare at least one {@link JobHandler}.
 * <p>
 * Built on db-scheduler's core, not its Spring Boot starter: the starter (16.7.1) is compiled against Boot 3
 * packages that Boot 4 moved ({@code org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration},
 * {@code org.springframework.boot.actuate.health.HealthIndicator}, the actuator metrics auto-configurations), so
 * under Boot 4 it cannot order itself after the DataSource nor register its health and metrics. What it adds over
 * the core is what this class does: a {@link TransactionAwareDataSourceProxy}, so scheduling joins the caller's
 * transaction, and the scheduler's life cycle.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration"})
@ConditionalOnClass(Scheduler.class)
@ConditionalOnBean({DataSource.class, JobHandler.class})
@EnableConfigurationProperties(PlatformProperties.class)
public class JobsAutoConfiguration {

    @Bean
    Jobs jobs(ObjectProvider<JobHandler<?>> handlers, DataSource dataSource, JdbcClient jdbc, JsonMapper json,
              PlatformProperties properties) {
        PlatformProperties.Jobs config = properties.jobs();
        ParkingFailureHandler failures = new ParkingFailureHandler(
                new BackoffPolicy(config.firstRetry(), config.multiplier(), config.maxDelay(), config.maxAttempts()));
        return new Jobs(handlers, tasks -> Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), List.copyOf(tasks))
                .serializer(new JsonSerializer(json))
                .threads(config.threads())
                .pollingInterval(config.pollInterval())
                .pollUsingLockAndFetch(0.5, 1.0)
                // ParkingFailureHandler logs each failure once, with what happens next
                .failureLogging(LogLevel.DEBUG, true)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build(), failures, jdbc, json);
    }

    /** Bean name gives the health component its name: {@code jobs}. */
    @Bean
    JobCounts jobsHealthIndicator(Jobs jobs, MeterRegistry meters) {
        return new JobCounts(jobs, meters);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class AdminApi {

        @Bean
        JobsController jobsController(Jobs jobs, AuditLog audit, TransactionTemplate tx) {
            return new JobsController(jobs, audit, tx);
        }
    }

    /** Job data as JSON (not Java serialization), so a Flyway migration can enqueue jobs too. */
    private record JsonSerializer(JsonMapper json) implements Serializer {

        @Override
        public byte[] serialize(Object data) {
            return data == null ? null : json.writeValueAsBytes(data);
        }

        @Override
        public <T> T deserialize(Class<T> type, byte[] data) {
            return data == null ? null : json.readValue(data, type);
        }
    }
}
