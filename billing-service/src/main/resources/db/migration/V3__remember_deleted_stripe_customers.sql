-- Stripe customers Stripe reported deleted (customer.deleted) while they were their account's current customer.
-- The account's customer is then created again, under a new idempotency key: customer:<account id>:g<n>, where n
-- is how many of the account's customers are in this table (Stripe would otherwise replay the deleted customer for
-- the old key). A customer in this table is never recorded as an account's customer again.
create table stripe_deleted_customers (
    customer_id varchar(255) primary key,
    account_id  uuid         not null references accounts (id),
    deleted_at  timestamptz  not null default now()
);
create index stripe_deleted_customers_by_account on stripe_deleted_customers (account_id);
