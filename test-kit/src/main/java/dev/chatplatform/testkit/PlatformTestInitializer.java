package dev.chatplatform.testkit;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Points a Spring context at the shared Kafka broker and at a database of its own on the shared
 * PostgreSQL (when the service has one), with the test identity secret.
 */
public class PlatformTestInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues values = TestPropertyValues.of(
                "spring.kafka.bootstrap-servers=" + SharedInfrastructure.kafkaBootstrapServers(),
                "platform.identity.secret=" + TestIdentities.SECRET,
                // the safety-net polls of the outbox relay and the job scheduler, short so that a test waiting
                // for a row no commit woke a relay for, or for a job's retry, waits less than a second
                "platform.outbox.poll-interval=200ms",
                "platform.jobs.poll-interval=200ms",
                // the client's default wait of an empty fetch, not the platform's 5 s (an idle cost, not a latency
                // one): a test's record retried after a failure on an otherwise quiet topic comes back as fast as before
                "spring.kafka.consumer.fetch-max-wait=500ms");
        if (ClassUtils.isPresent("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", getClass().getClassLoader())) {
            String app = context.getEnvironment().getProperty("spring.application.name", "service");
            values = values.and(
                    "spring.datasource.url=" + SharedInfrastructure.newDatabase(app),
                    "spring.datasource.username=postgres",
                    "spring.datasource.password=postgres");
        }
        values.applyTo(context);
    }
}
