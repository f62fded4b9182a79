-- The platform's audit log, searchable (audit.v1): every admin action of every service, stored once by its entry id
-- (the owning service's audit_log id), so a redelivered event inserts nothing. search_text is what the free-text
-- filter (q) matches: action, target, actor, key, reason, before and after.
create table audit_entries (
    entry_id     varchar(64)  primary key,
    service      varchar(100) not null,
    action       varchar(100) not null,
    target_type  varchar(50)  not null,
    target_id    varchar(200) not null,
    actor        varchar(200) not null,
    actor_key_id varchar(200),
    reason       text,
    before       jsonb,
    after        jsonb,
    at           timestamptz  not null,
    search_text  text generated always as (
        action || ' ' || target_type || ' ' || target_id || ' ' || actor || ' ' || coalesce(actor_key_id, '') || ' '
            || coalesce(reason, '') || ' ' || coalesce(before::text, '') || ' ' || coalesce(after::text, '')) stored
);
create index audit_entries_by_time on audit_entries (at desc, entry_id desc);
create index audit_entries_by_target on audit_entries (target_type, target_id, at desc);
create index audit_entries_by_actor on audit_entries (actor, at desc);
