package dev.chatplatform.billing.stripe;

import dev.chatplatform.billing.account.AccountId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DeletedCustomerRepository {

    private final JdbcClient jdbc;

    DeletedCustomerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String customerId, AccountId account) {
        jdbc.sql("insert into stripe_deleted_customers (customer_id, account_id) values (:customer, :account) "
                        + "on conflict (customer_id) do nothing")
                .param("customer", customerId).param("account", account.value()).update();
    }

    boolean isDeleted(String customerId) {
        return jdbc.sql("select exists (select 1 from stripe_deleted_customers where customer_id = :customer)")
                .param("customer", customerId).query(Boolean.class).single();
    }

    /** How many customers of the account Stripe deleted: the generation of its next customer. */
    int countFor(AccountId account) {
        return jdbc.sql("select count(*) from stripe_deleted_customers where account_id = :account")
                .param("account", account.value()).query(Integer.class).single();
    }
}
