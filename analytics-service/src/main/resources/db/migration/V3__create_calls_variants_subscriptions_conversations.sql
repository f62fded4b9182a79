-- Rollups of llm-calls.v1, rollout-decisions.v1, subscriptions.v1, billing.v1 and conversations.v1. As in V2:
-- each event is applied in the transaction that records its id in processed_events, and lands in the UTC day
-- of its own business time.

-- llm-calls.v1: every upstream attempt, per day, account, provider, model, outcome and error class
-- ('' when the event has none: SUCCESS, CLIENT_GONE).
create table llm_calls_daily (
    day            date         not null,
    account_id     varchar(200) not null,
    provider       varchar(200) not null,
    model          varchar(200) not null,
    outcome        varchar(20)  not null,
    error_class    varchar(100) not null,
    attempts       bigint       not null check (attempts >= 0),
    cost_micro_usd bigint       not null check (cost_micro_usd >= 0),
    primary key (day, account_id, provider, model, outcome, error_class)
);
create index llm_calls_daily_by_model on llm_calls_daily (day, provider, model);

-- llm-calls.v1 flagVariants, counted as rollout-service's guard counts them: one observation per request (its
-- last call: SUCCESS, or ERROR = an error); RETRY, FALLBACK and CLIENT_GONE are not observations.
create table variant_daily (
    day                 date         not null,
    flag_key            varchar(200) not null,
    variant             varchar(200) not null,
    observations        bigint       not null check (observations >= 0),
    errors              bigint       not null check (errors >= 0),
    cost_micro_usd      bigint       not null check (cost_micro_usd >= 0),
    input_tokens        bigint       not null check (input_tokens >= 0),
    cached_input_tokens bigint       not null check (cached_input_tokens >= 0),
    output_tokens       bigint       not null check (output_tokens >= 0),
    primary key (day, flag_key, variant)
);

-- Latency and TTFT of those observations as mergeable histograms (LatencyBuckets, like latency_histogram_daily).
create table variant_latency_daily (
    day          date         not null,
    flag_key     varchar(200) not null,
    variant      varchar(200) not null,
    metric       varchar(10)  not null check (metric in ('latency', 'ttft')),
    bucket       integer      not null check (bucket >= 0),
    observations bigint       not null check (observations >= 0),
    primary key (day, flag_key, variant, metric, bucket)
);

-- rollout-decisions.v1: every decision, with the rules it breached.
create table rollout_decisions (
    event_id     varchar(200) primary key,
    flag_key     varchar(200) not null,
    decision     varchar(20)  not null,
    flag_version bigint       not null,
    phase        integer,
    percentage   integer      not null,
    reason       text         not null,
    breaches     text         not null,
    decided_at   timestamptz  not null,
    day          date         not null
);
create index rollout_decisions_by_day on rollout_decisions (day, flag_key);

-- subscriptions.v1: every version seen of every account's subscription (the topic is compacted and events may
-- arrive late or out of order: the state at an instant is the highest version written before it).
create table subscription_versions (
    account_id           varchar(200) not null,
    version              bigint       not null,
    tier                 varchar(100) not null,
    status               varchar(40)  not null,
    source               varchar(40)  not null,
    cancel_at_period_end boolean      not null,
    monthly_amount       bigint       check (monthly_amount >= 0),
    currency             varchar(3),
    changed_at           timestamptz  not null,
    primary key (account_id, version)
);
create index subscription_versions_by_time on subscription_versions (changed_at);

-- billing.v1: paid invoices, once per invoice (a second paid event of the same invoice changes nothing).
create table invoices_paid (
    invoice_id  varchar(200) primary key,
    account_id  varchar(200) not null,
    currency    varchar(10),
    amount_paid bigint       not null check (amount_paid >= 0),
    paid_at     timestamptz  not null,
    day         date         not null
);
create index invoices_paid_by_day on invoices_paid (day);

-- conversations.v1: conversations created, updated and deleted per day, account and (default) model.
create table conversations_daily (
    day        date         not null,
    account_id varchar(200) not null,
    model      varchar(200) not null,
    created    bigint       not null check (created >= 0),
    updated    bigint       not null check (updated >= 0),
    deleted    bigint       not null check (deleted >= 0),
    primary key (day, account_id, model)
);

-- conversations.v1: messages stored per day, account, model, role and status, with their tokens.
create table messages_daily (
    day           date         not null,
    account_id    varchar(200) not null,
    model         varchar(200) not null,
    role          varchar(20)  not null,
    status        varchar(20)  not null,
    messages      bigint       not null check (messages >= 0),
    input_tokens  bigint       not null check (input_tokens >= 0),
    output_tokens bigint       not null check (output_tokens >= 0),
    primary key (day, account_id, model, role, status)
);
