package dev.chatplatform.billing.mail;

import dev.chatplatform.billing.BillingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues mail in the caller's transaction (so a receipt exists exactly when its payment was recorded) and
 * sends it afterwards with retries. Without an SMTP host ({@code spring.mail.host}) mail is logged instead.
 */
@Service
public class MailService {

    private static final Logger log = LoggerFactory.getLogger(MailService.class);

    private final MailRepository mails;
    private final ObjectProvider<JavaMailSender> sender;
    private final TransactionTemplate tx;
    private final String from;

    MailService(MailRepository mails, ObjectProvider<JavaMailSender> sender, TransactionTemplate tx,
                BillingProperties properties) {
        this.mails = mails;
        this.sender = sender;
        this.tx = tx;
        this.from = properties.mailFrom();
    }

    /** Queues one mail; {@code id} makes it idempotent (e.g. the Stripe event that caused it). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(String id, String recipient, String subject, String body) {
        mails.enqueue(id, recipient, subject, body);
    }

    @Scheduled(fixedDelayString = "${billing.poll-interval-ms:1000}")
    public void sendDue() {
        tx.executeWithoutResult(status -> {
            for (MailRepository.Mail mail : mails.lockDue(20)) {
                try {
                    send(mail);
                    mails.markSent(mail.id());
                } catch (RuntimeException e) {
                    log.warn("sending mail {} failed (attempt {}): {}", mail.id(), mail.attempts() + 1, e.toString());
                    mails.retryLater(mail.id(), mail.attempts() + 1, Math.min(3600, 1L << Math.min(mail.attempts(), 12)));
                }
            }
        });
    }

    private void send(MailRepository.Mail mail) {
        JavaMailSender smtp = sender.getIfAvailable();
        if (smtp == null) {
            log.info("mail (no SMTP host configured) to={} subject={}\n{}", mail.recipient(), mail.subject(), mail.body());
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(mail.recipient());
        message.setSubject(mail.subject());
        message.setText(mail.body());
        smtp.send(message);
    }
}
