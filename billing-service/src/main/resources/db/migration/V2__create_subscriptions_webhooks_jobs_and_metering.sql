-- Issue 6: sign-up by OIDC subject, Stripe customers, subscriptions, webhooks, dunning mail and metering.

alter table accounts add column oidc_subject varchar(255) unique;
alter table accounts add column stripe_customer_id varchar(255) unique;

-- Which account an OIDC subject signs in as; published on oidc-subjects.v1 with its own version, so a
-- subject freed by a deleted account and linked again later still carries a higher version.
create table oidc_links (
    subject    varchar(255) primary key,
    account_id uuid         not null references accounts (id),
    status     varchar(10)  not null check (status in ('active', 'disabled')),
    version    bigint       not null check (version >= 1),
    updated_at timestamptz  not null
);

-- The subscription in force for each account (one row per account once it has had any tier change).
-- stripe_state_at is the Stripe "created" time (epoch seconds) of the newest event applied: an older
-- event never overwrites newer state.
create table subscriptions (
    account_id             uuid         primary key references accounts (id),
    tier                   varchar(20)  not null check (tier in ('free', 'basic', 'pro', 'enterprise')),
    paid_tier              varchar(20)  not null check (paid_tier in ('free', 'basic', 'pro', 'enterprise')),
    status                 varchar(20)  not null,
    source                 varchar(10)  not null check (source in ('local', 'stripe')),
    stripe_subscription_id varchar(255) unique,
    stripe_item_id         varchar(255),
    -- a downgrade scheduled for the end of the paid period: tier stays until pending_at
    pending_tier           varchar(20),
    pending_at             timestamptz,
    cancel_at_period_end   boolean      not null default false,
    current_period_end     timestamptz,
    past_due_since         timestamptz,
    stripe_state_at        bigint       not null default 0,
    version                bigint       not null check (version >= 1),
    updated_at             timestamptz  not null
);
create index subscriptions_past_due on subscriptions (past_due_since) where past_due_since is not null;
create index subscriptions_pending on subscriptions (current_period_end) where pending_tier is not null;

-- Every Stripe webhook event, stored before it is acknowledged, processed once (by id) afterwards.
create table stripe_events (
    id           varchar(255) primary key,
    type         varchar(100) not null,
    created      bigint       not null,
    payload      text         not null,
    received_at  timestamptz  not null default now(),
    deliveries   int          not null default 1,
    processed_at timestamptz,
    attempts     int          not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error   text
);
create index stripe_events_unprocessed on stripe_events (created, received_at) where processed_at is null;

-- Outgoing Stripe calls that must eventually succeed (customer creation): retried with backoff.
create table stripe_jobs (
    id              bigserial    primary key,
    kind            varchar(40)  not null,
    account_id      uuid         not null references accounts (id),
    idempotency_key varchar(255) not null unique,
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null default now(),
    done_at         timestamptz,
    last_error      text,
    created_at      timestamptz  not null default now()
);
create index stripe_jobs_due on stripe_jobs (next_attempt_at) where done_at is null;

create table invoices (
    id                 varchar(255) primary key,
    account_id         uuid         not null references accounts (id),
    status             varchar(20)  not null,
    currency           varchar(10),
    amount_due         bigint       not null,
    amount_paid        bigint       not null,
    attempt_count      int          not null,
    hosted_invoice_url text,
    period_start       timestamptz,
    period_end         timestamptz,
    stripe_state_at    bigint       not null,
    created_at         timestamptz  not null
);
create index invoices_by_account on invoices (account_id, created_at);

-- Mail to send (receipts, payment failures), written in the transaction that causes it, sent with retries.
create table outgoing_mail (
    id              varchar(255) primary key,
    recipient       varchar(254) not null,
    subject         varchar(200) not null,
    body            text         not null,
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null default now(),
    sent_at         timestamptz,
    created_at      timestamptz  not null default now()
);
create index outgoing_mail_due on outgoing_mail (next_attempt_at) where sent_at is null;

-- Usage metered from usage.v1 (one row per usage event) and the meter-event batches reported to Stripe.
-- A batch's id is derived from its member event ids and is the Stripe meter event identifier, so a retry
-- of the same batch can never bill twice.
create table meter_batches (
    id              varchar(64)  primary key,
    account_id      uuid         not null,
    customer_id     varchar(255) not null,
    value           bigint       not null,
    event_count     int          not null,
    occurred_at     timestamptz  not null,
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null default now(),
    reported_at     timestamptz,
    last_error      text,
    created_at      timestamptz  not null default now()
);
create index meter_batches_due on meter_batches (next_attempt_at) where reported_at is null;

create table metered_usage (
    event_id    varchar(64)  primary key,
    account_id  varchar(100) not null,
    tokens      bigint       not null,
    occurred_at timestamptz  not null,
    batch_id    varchar(64)  references meter_batches (id),
    received_at timestamptz  not null default now()
);
create index metered_usage_unbatched on metered_usage (account_id) where batch_id is null;
