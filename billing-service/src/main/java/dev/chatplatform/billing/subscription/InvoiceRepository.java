package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.account.AccountId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Repository
class InvoiceRepository {

    private final JdbcClient jdbc;

    InvoiceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<InvoiceResponse> findForUpdate(String id) {
        return jdbc.sql("select * from invoices where id = :id for update").param("id", id)
                .query((rs, i) -> map(rs)).optional();
    }

    /** Writes the invoice unless a newer state of it (by Stripe's event time) is stored already. */
    void upsert(InvoiceResponse invoice, AccountId account, long stateAt) {
        jdbc.sql("""
                        insert into invoices (id, account_id, status, currency, amount_due, amount_paid, attempt_count,
                          hosted_invoice_url, period_start, period_end, stripe_state_at, created_at)
                        values (:id, :account, :status, :currency, :due, :paid, :attempts, :url, :start, :end, :stateAt, :created)
                        on conflict (id) do update set status = :status, amount_due = :due, amount_paid = :paid,
                          attempt_count = :attempts, hosted_invoice_url = :url, stripe_state_at = :stateAt
                        where invoices.stripe_state_at <= :stateAt""")
                .param("id", invoice.id()).param("account", account.value()).param("status", invoice.status())
                .param("currency", invoice.currency()).param("due", invoice.amountDue()).param("paid", invoice.amountPaid())
                .param("attempts", invoice.attemptCount()).param("url", invoice.hostedInvoiceUrl())
                .param("start", ts(invoice.periodStart())).param("end", ts(invoice.periodEnd()))
                .param("stateAt", stateAt).param("created", ts(invoice.createdAt()))
                .update();
    }

    List<InvoiceResponse> findByAccount(AccountId account) {
        return jdbc.sql("select * from invoices where account_id = :a order by created_at desc, id limit 100")
                .param("a", account.value()).query((rs, i) -> map(rs)).list();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static InvoiceResponse map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp start = rs.getTimestamp("period_start");
        Timestamp end = rs.getTimestamp("period_end");
        return new InvoiceResponse(rs.getString("id"), rs.getString("status"), rs.getString("currency"),
                rs.getLong("amount_due"), rs.getLong("amount_paid"), rs.getInt("attempt_count"),
                rs.getString("hosted_invoice_url"), start == null ? null : start.toInstant(),
                end == null ? null : end.toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
