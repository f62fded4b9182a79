-- An outbox row that Kafka refuses for good (larger than the broker takes, a topic that is not in the event
-- catalog, a write the broker's ACLs forbid) is parked with its reason instead of blocking every row behind it.
-- Parked rows stay until an operator sends them again: update outbox_events set parked_at = null, park_reason =
-- null where id = '...'.
alter table outbox_events add column parked_at timestamptz;
alter table outbox_events add column park_reason text;
drop index outbox_events_unpublished;
create index outbox_events_unpublished on outbox_events (seq) where published_at is null and parked_at is null;
create index outbox_events_parked on outbox_events (seq) where parked_at is not null;
