-- The service's audit log (service-kit AuditLog): every admin action on what the service owns, written in the
-- transaction of the change together with its audit.recorded.v1 event in the outbox. Who (the caller's account and
-- API key), when, what (action, target), the target's state before and after as JSON, and why.
create table audit_log (
    id           uuid         primary key,
    action       varchar(100) not null,
    target_type  varchar(50)  not null,
    target_id    varchar(200) not null,
    actor        varchar(200) not null,
    actor_key_id varchar(200),
    reason       text,
    before       jsonb,
    after        jsonb,
    at           timestamptz  not null
);
create index audit_log_by_target on audit_log (target_type, target_id, at desc);
create index audit_log_by_time on audit_log (at desc);
