package dev.chatplatform.billing.mail;

import dev.chatplatform.billing.BillingProperties;
import dev.chatplatform.kit.jobs.JobHandler;
import dev.chatplatform.kit.jobs.JobKind;
import dev.chatplatform.kit.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Queues mail as a {@code mail} job in the caller's transaction (so a receipt exists exactly when its payment was
 * recorded) and sends it afterwards, retried by the kit's back-off policy. Without an SMTP host
 * ({@code spring.mail.host}) mail is logged instead.
 */
@Service
public class MailService implements JobHandler<MailService.Mail> {

    /** What a {@code mail} job carries. */
    public record Mail(String recipient, String subject, String body) {
    }

    static final JobKind<Mail> MAIL = new JobKind<>("mail", Mail.class);
    private static final Logger log = LoggerFactory.getLogger(MailService.class);

    private final Jobs jobs;
    private final ObjectProvider<JavaMailSender> sender;
    private final String from;

    MailService(Jobs jobs, ObjectProvider<JavaMailSender> sender, BillingProperties properties) {
        this.jobs = jobs;
        this.sender = sender;
        this.from = properties.mailFrom();
    }

    /** Queues one mail; {@code id} makes it idempotent (e.g. the Stripe event that caused it). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(String id, String recipient, String subject, String body) {
        jobs.enqueue(MAIL, id, new Mail(recipient, subject, body));
    }

    @Override
    public JobKind<Mail> kind() {
        return MAIL;
    }

    /** Sends one mail. SMTP has no idempotency key: a crash between the send and the job's completion re-sends it. */
    @Override
    public void run(String id, Mail mail) {
        JavaMailSender smtp = sender.getIfAvailable();
        if (smtp == null) {
            log.info("mail {} (no SMTP host configured) to={} subject={}\n{}", id, mail.recipient(), mail.subject(), mail.body());
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
