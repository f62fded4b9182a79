package dev.chatplatform.kit.deadletters;

import dev.chatplatform.kit.audit.AuditAutoConfiguration;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.DeadLetters;
import dev.chatplatform.kit.events.EventSubscription;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionTemplate;

/** The dead-letter admin API of every servlet service with a database and a consumer (chat-service has none). */
@AutoConfiguration(after = AuditAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({DeadLetters.class, AuditLog.class, EventSubscription.class})
public class DeadLettersAutoConfiguration {

    @Bean
    DeadLettersController deadLettersController(DeadLetters deadLetters, AuditLog audit, TransactionTemplate tx) {
        return new DeadLettersController(deadLetters, audit, tx);
    }
}
