-- One job mechanism instead of four hand-written retry queues (outgoing_mail, stripe_jobs, and the retry columns of
-- stripe_events and meter_batches). Jobs are run by db-scheduler (service-kit dev.chatplatform.kit.jobs); this is
-- its table for PostgreSQL, as db-scheduler 16 defines it. task_data is the kit's JSON job record:
-- {"data": <the kind's data>, "createdAt", "lastError", "parkedReason"}. A parked job waits at execution_time
-- 9999-01-01 until an operator retries it.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
-- the admin listing, the gauges and the health details read only failed jobs
create index scheduled_tasks_failed on scheduled_tasks (task_name, last_failure) where consecutive_failures > 0;

-- Pending work moves into jobs, due at once with a fresh count of attempts, so an upgrade loses nothing.
create function pg_temp.job_record(data json, created timestamptz, last_error text) returns bytea as $$
    select convert_to(json_build_object(
        'data', data,
        'createdAt', to_char(created at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'lastError', last_error)::text, 'UTF8')
$$ language sql;

insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
select 'mail', id, pg_temp.job_record(json_build_object('recipient', recipient, 'subject', subject, 'body', body),
                                      created_at, null), now(), false, 1
from outgoing_mail where sent_at is null;

insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
select 'stripe-customer', idempotency_key, pg_temp.job_record(json_build_object('accountId', account_id::text),
                                                              created_at, last_error), now(), false, 1
from stripe_jobs where done_at is null and kind = 'create_customer';

insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
select 'stripe-webhook', id, pg_temp.job_record(null, received_at, last_error), now(), false, 1
from stripe_events where processed_at is null;

insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
select 'meter-batch', id, pg_temp.job_record(null, created_at, last_error), now(), false, 1
from meter_batches where reported_at is null;

drop table outgoing_mail;
drop table stripe_jobs;
drop index stripe_events_unprocessed;
alter table stripe_events drop column attempts, drop column next_attempt_at, drop column last_error;
alter table meter_batches drop column attempts, drop column next_attempt_at, drop column last_error;
