package dev.chatplatform.gateway.oidc;

import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.kit.events.CompactedTopicFollower;
import dev.chatplatform.kit.events.EventReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;


/** OIDC authentication and its subject view, only when {@code gateway.oidc.issuer-uri} is set. */
@Configuration(proxyBeanMethods = false)
class OidcConfig {

    @Bean
    @Conditional(OidcEnabled.class)
    OidcSubjectView oidcSubjectView(MeterRegistry meters) {
        OidcSubjectView view = new OidcSubjectView();
        Gauge.builder("gateway.oidc.subjects", view, OidcSubjectView::size)
                .description("OIDC subjects (linked or disabled) in the gateway's local view").register(meters);
        return view;
    }

    @Bean
    @Conditional(OidcEnabled.class)
    CompactedTopicFollower<OidcSubjectChanged> oidcSubjectViewFollower(OidcSubjectView view, EventReader reader,
                                                                      MeterRegistry meters, KafkaProperties kafka,
                                                                      @Value("${spring.application.name}") String service) {
        return new CompactedTopicFollower<>(service, "oidc-subject-view", OidcSubjectChanged.TYPE,
                CompactedTopicFollower.Start.BEGINNING, new CompactedTopicFollower.Sink<>() {
                    @Override
                    public void apply(OidcSubjectChanged link) {
                        view.apply(link);
                    }

                    @Override
                    public void remove(String subject) {
                        view.remove(subject);
                    }
                }, reader, meters, CompactedTopicFollower.consumers(kafka, service + "-oidc-subject-view"), CompactedTopicFollower.POLL_TIMEOUT);
    }

    @Bean
    @Conditional(OidcEnabled.class)
    OidcTokenVerifier oidcTokenVerifier(OidcProperties properties) {
        return new OidcTokenVerifier(properties);
    }

    @Bean
    @Conditional(OidcEnabled.class)
    OidcAuthenticator oidcAuthenticator(OidcTokenVerifier verifier, OidcSubjectView view) {
        return new OidcAuthenticator(verifier, view);
    }

    /**
     * In the readiness group (application.yml): with OIDC on, a replica serves traffic only once it knows
     * every subject; with OIDC off it is always UP.
     */
    @Bean
    HealthIndicator oidcSubjectViewHealthIndicator(ObjectProvider<CompactedTopicFollower<OidcSubjectChanged>> follower,
                                                   ObjectProvider<OidcSubjectView> view) {
        return () -> {
            CompactedTopicFollower<OidcSubjectChanged> f = follower.getIfAvailable();
            if (f == null) {
                return Health.up().withDetail("oidc", "disabled").build();
            }
            return f.readiness("subjects", view.getObject().size());
        };
    }

    static final class OidcEnabled implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String issuer = context.getEnvironment().getProperty("gateway.oidc.issuer-uri");
            return issuer != null && !issuer.isBlank();
        }
    }
}
