-- Rollups of every topic, written by consumers (each event in the same transaction as its row in
-- processed_events, so each event is counted once). Days are UTC days of when the thing happened (the event's
-- occurredAt / changedAt, else its ce_time), so a late event lands in its own day. Months are sums of days.

-- usage.v1: one row per day, account, model, provider and outcome (the error class of usage events).
create table usage_daily (
    day                 date         not null,
    account_id          varchar(200) not null,
    model               varchar(200) not null,
    provider            varchar(200) not null,
    outcome             varchar(40)  not null,
    requests            bigint       not null check (requests >= 0),
    input_tokens        bigint       not null check (input_tokens >= 0),
    cached_input_tokens bigint       not null check (cached_input_tokens >= 0),
    output_tokens       bigint       not null check (output_tokens >= 0),
    cost_micro_usd      bigint       not null check (cost_micro_usd >= 0),
    streamed_requests   bigint       not null default 0,
    estimated_requests  bigint       not null default 0,
    primary key (day, account_id, model, provider, outcome)
);
create index usage_daily_by_model on usage_daily (day, model, provider);

-- usage.v1 latency and time to first token as mergeable histograms (see LatencyBuckets): exact below
-- 100 ms, 2 % wide log buckets above, so any percentile of any filter and date range is within 1 %.
create table latency_histogram_daily (
    day        date         not null,
    account_id varchar(200) not null,
    model      varchar(200) not null,
    provider   varchar(200) not null,
    metric     varchar(10)  not null check (metric in ('latency', 'ttft')),
    bucket     integer      not null check (bucket >= 0),
    requests   bigint       not null check (requests >= 0),
    primary key (day, account_id, model, provider, metric, bucket)
);

-- Accounts with at least one usage event that day; monthly active = distinct accounts over the month's days.
create table active_accounts_daily (
    day        date         not null,
    account_id varchar(200) not null,
    primary key (day, account_id)
);

-- accounts.v1: the latest version of every account (an older version never overwrites a newer one).
create table account_snapshots (
    account_id varchar(200) primary key,
    tier       varchar(100)  not null,
    status     varchar(40)  not null,
    version    bigint       not null,
    changed_at timestamptz  not null
);

-- accounts.v1: a tier change from free to any other tier seen between two versions of an account.
create table tier_conversions (
    account_id varchar(200) not null,
    version    bigint       not null,
    from_tier  varchar(100)  not null,
    to_tier    varchar(100)  not null,
    day        date         not null,
    primary key (account_id, version)
);

-- Every event of every topic, whatever its type (also types newer than this service's contracts).
create table event_counts_daily (
    day        date         not null,
    topic      varchar(200) not null,
    event_type varchar(200) not null,
    events     bigint       not null check (events >= 0),
    primary key (day, topic, event_type)
);
