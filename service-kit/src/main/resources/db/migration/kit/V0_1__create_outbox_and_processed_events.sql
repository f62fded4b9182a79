-- Shared by every service (shipped in service-kit, found by Flyway under db/migration).

-- Transactional outbox: events are written here in the same transaction as the state change that
-- causes them, then relayed to Kafka. The id is the event id, derived from the cause, so a retried
-- transaction cannot enqueue the same event twice.
create table outbox_events (
    seq          bigserial primary key,
    id           varchar(64)  not null unique,
    topic        varchar(200) not null,
    record_key   varchar(200) not null,
    type         varchar(200) not null,
    subject      varchar(200),
    traceparent  varchar(64),
    payload      text         not null,
    created_at   timestamptz  not null default now(),
    published_at timestamptz
);
create index outbox_events_unpublished on outbox_events (seq) where published_at is null;

-- Idempotent consumption: an event's effect and its row here commit together, so a redelivered
-- event finds its row and is skipped.
create table processed_events (
    consumer     varchar(100) not null,
    event_id     varchar(64)  not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
