-- A flag's state is stored as the very document published on flags.v1 (FlagChanged), so the service and
-- every client evaluate the same thing; the SLO rules guarding it stay here.
create table flags (
    key        varchar(100) primary key,
    version    bigint       not null,
    state      jsonb        not null,
    rules      jsonb        not null,
    created_at timestamptz  not null default now(),
    updated_at timestamptz  not null default now()
);

-- Every change: who, when, before, after, why (and the evidence of automatic decisions).
create table flag_audit (
    id       bigserial    primary key,
    flag_key varchar(100) not null references flags (key),
    version  bigint       not null,
    action   varchar(30)  not null,
    actor    varchar(200) not null,
    reason   text,
    before   jsonb,
    after    jsonb        not null,
    evidence jsonb,
    at       timestamptz  not null default now()
);
create index flag_audit_by_flag on flag_audit (flag_key, id desc);

-- A phased rollout plan per flag: phases with percentage, minimum duration and minimum sample.
create table rollout_plans (
    flag_key         varchar(100) primary key references flags (key),
    phases           jsonb        not null,
    current_phase    int          not null,
    phase_started_at timestamptz  not null,
    status           varchar(20)  not null,
    auto_advance     boolean      not null,
    updated_at       timestamptz  not null default now()
);

-- One row per (event, flag) tagged with the variant the event was served under; the SLO rules read these.
-- The primary key makes consumption idempotent (a redelivered event inserts nothing).
create table variant_observations (
    source         varchar(40)  not null,
    event_id       varchar(64)  not null,
    flag_key       varchar(100) not null,
    variant        varchar(100) not null,
    failed         boolean      not null,
    latency_ms     bigint,
    cost_micro_usd bigint,
    occurred_at    timestamptz  not null,
    primary key (source, event_id, flag_key)
);
create index variant_observations_by_flag on variant_observations (flag_key, occurred_at);
