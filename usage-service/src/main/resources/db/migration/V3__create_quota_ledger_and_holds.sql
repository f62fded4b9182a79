-- The accounts usage-service knows (from accounts.v1 / subscriptions.v1, or first seen in a hold or usage event):
-- their tier and the anchor of their periods.
create table quota_accounts (
    account_id         text        primary key,
    tier               text        not null references tiers (name),
    -- where the tier came from: default (never heard of by billing), account (accounts.v1) or subscription
    -- (subscriptions.v1, which wins over accounts.v1 once seen)
    tier_source        text        not null check (tier_source in ('default', 'account', 'subscription')),
    subscription_version bigint    not null default 0,
    account_version    bigint      not null default 0,
    email              text,
    -- periods reset at midnight in this zone; the monthly period starts on this day of the month
    time_zone          text        not null default 'UTC',
    monthly_anchor_day int         not null default 1 check (monthly_anchor_day between 1 and 28),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index quota_accounts_tier on quota_accounts (tier);

-- The budget ledger: one row per account and monthly period, holding the monthly counters and the counters of
-- the current day (rolled forward in place when a new day starts). Every hold is ONE conditional UPDATE of
-- this row, so the limits hold across any number of replicas. Money in integer micro-USD.
create table quota_ledger (
    account_id        text        not null references quota_accounts (account_id),
    month_start       timestamptz not null,
    month_end         timestamptz not null,
    day_start         timestamptz not null,
    day_end           timestamptz not null,
    day_messages_used bigint      not null default 0 check (day_messages_used >= 0),
    day_messages_held bigint      not null default 0 check (day_messages_held >= 0),
    tokens_used       bigint      not null default 0 check (tokens_used >= 0),
    tokens_held       bigint      not null default 0 check (tokens_held >= 0),
    cost_used         bigint      not null default 0 check (cost_used >= 0),
    cost_held         bigint      not null default 0 check (cost_held >= 0),
    primary key (account_id, month_start)
);

-- One reservation per model request (account, request id): placed before the model call, settled by the
-- request's usage event, released by chat-service, or expired by the sweep.
create table holds (
    id                  text        primary key,
    account_id          text        not null references quota_accounts (account_id),
    request_id          text        not null,
    model               text        not null,
    month_start         timestamptz not null,
    day_start           timestamptz not null,
    granted_max_tokens  bigint      not null check (granted_max_tokens >= 0),
    held_tokens         bigint      not null check (held_tokens >= 0),
    held_cost_micro_usd bigint      not null check (held_cost_micro_usd >= 0),
    status              text        not null check (status in ('pending', 'held', 'settled', 'released', 'expired')),
    created_at          timestamptz not null default now(),
    expires_at          timestamptz not null,
    closed_at           timestamptz,
    unique (account_id, request_id)
);
create index holds_due on holds (expires_at) where status = 'held';

-- Every quota.v1 state gets a version from here: it only grows, also across accounts.
create sequence quota_versions;

-- 80/90/100 % of a limit, once per account, limit, period and threshold: the primary key makes the event
-- (and the e-mail) exactly-once, also after restarts and replays.
create table threshold_crossings (
    account_id   text        not null,
    limit_name   text        not null,
    period_start timestamptz not null,
    threshold    int         not null check (threshold in (80, 90, 100)),
    period_end   timestamptz not null,
    tier         text        not null,
    max_value    bigint      not null,
    used_value   bigint      not null,
    crossed_at   timestamptz not null default now(),
    notified_at  timestamptz,
    notified_via text,
    primary key (account_id, limit_name, period_start, threshold)
);
create index threshold_crossings_pending on threshold_crossings (crossed_at) where notified_at is null;
