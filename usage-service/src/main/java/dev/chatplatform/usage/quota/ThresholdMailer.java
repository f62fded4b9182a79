package dev.chatplatform.usage.quota;

import dev.chatplatform.usage.UsageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * E-mails every recorded threshold crossing once: through SMTP when {@code spring.mail.host} is set, else to the
 * log. Rows are locked with {@code skip locked} while they are sent, so replicas share the work; a send that fails
 * rolls back and is retried at the next poll.
 */
@Component
class ThresholdMailer {

    private static final Logger log = LoggerFactory.getLogger(ThresholdMailer.class);
    private static final int BATCH = 50;

    private final ThresholdRepository thresholds;
    private final TransactionTemplate tx;
    private final ObjectProvider<JavaMailSender> mail;
    private final UsageProperties properties;

    ThresholdMailer(ThresholdRepository thresholds, TransactionTemplate tx, ObjectProvider<JavaMailSender> mail,
                    UsageProperties properties) {
        this.thresholds = thresholds;
        this.tx = tx;
        this.mail = mail;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${usage.notifications.poll-interval:5s}")
    void sendPending() {
        try {
            Integer sent;
            do {
                sent = tx.execute(status -> {
                    List<ThresholdCrossing> pending = thresholds.lockPending(BATCH);
                    pending.forEach(c -> thresholds.markNotified(c, send(c)));
                    return pending.size();
                });
            } while (sent != null && sent == BATCH);
        } catch (RuntimeException e) {
            log.warn("threshold e-mails failed, retrying at the next poll: {}", e.toString());
        }
    }

    private String send(ThresholdCrossing c) {
        String subject = subject(c);
        String body = body(c);
        if (c.email() == null || c.email().isBlank()) {
            log.info("threshold crossed but no e-mail address is known for account {}: {}", c.accountId(), subject);
            return "no-email";
        }
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            log.info("threshold e-mail (no SMTP host configured) to {}: {}\n{}", c.email(), subject, body);
            return "log";
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.notifications().from());
        message.setTo(c.email());
        message.setSubject(subject);
        message.setText(body);
        sender.send(message);
        return "smtp";
    }

    static String subject(ThresholdCrossing c) {
        return c.threshold() >= 100
                ? "Usage limit reached: " + label(c.limitName())
                : "You have used " + c.threshold() + " % of your " + label(c.limitName());
    }

    private static String body(ThresholdCrossing c) {
        String head = c.threshold() >= 100
                ? "Your account has reached its " + label(c.limitName()) + " on the " + c.tier()
                  + " tier. New requests that need this limit are refused until it resets."
                : "Your account has used " + c.threshold() + " % of its " + label(c.limitName()) + " on the "
                  + c.tier() + " tier.";
        return head + "\n\nUsed: " + c.used() + " of " + c.max() + "\nPeriod: " + c.periodStart() + " to "
                + c.periodEnd() + " (resets then)\nAccount: " + c.accountId() + "\n";
    }

    private static String label(String limitName) {
        return switch (limitName) {
            case "messages_per_day" -> "messages per day";
            case "tokens_per_month" -> "tokens per month";
            case "cost_micro_usd_per_month" -> "monthly budget (micro-USD)";
            default -> limitName;
        };
    }
}
