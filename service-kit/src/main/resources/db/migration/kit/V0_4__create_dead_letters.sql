-- Records this service's consumers could never apply (service-kit DeadLetters), kept next to their copy on
-- <topic>.dlt so an operator can see them with their reason and apply one again once its cause is fixed
-- (POST /api/v1/admin/dead-letters/<service>/{id}/retry). One row per consumer and record: a dead letter written
-- twice (the broker refused its copy, the handler tried again) is kept once.
create table dead_letters (
    id               bigserial    primary key,
    consumer         varchar(200) not null,
    topic            varchar(249) not null,
    record_partition int          not null,
    record_offset    bigint       not null,
    record_key       text,
    record_value     text,
    -- the record's headers as they were: [{"name": "...", "value": "<base64>"}...], in order
    headers          jsonb        not null,
    event_id         varchar(200),
    event_type       varchar(200),
    reason           text         not null,
    dead_lettered_at timestamptz  not null,
    -- 'dead' until a retry applies it ('applied'); a retry the consumer still refuses keeps it 'dead' with the new reason
    state            varchar(20)  not null default 'dead',
    retries          int          not null default 0,
    last_retry_at    timestamptz,
    unique (consumer, topic, record_partition, record_offset)
);
create index dead_letters_by_state on dead_letters (state, id desc);
