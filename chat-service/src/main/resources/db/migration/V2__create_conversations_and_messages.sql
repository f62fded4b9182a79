-- Conversations and their messages. Every row carries the owning account: every read and write is scoped
-- to it, and another account's ids behave as if they did not exist. Deleting a conversation deletes its
-- messages (content really removed, no soft delete).
create table conversations (
    id            varchar(40)  primary key,
    account_id    varchar(200) not null,
    title         varchar(200),
    model         varchar(100) not null,
    system_prompt text,
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null
);

-- newest first, with the id as tie-breaker: the keyset behind the opaque cursors
create index conversations_by_account on conversations (account_id, created_at desc, id desc);

create table messages (
    seq                 bigint generated always as identity primary key,
    id                  varchar(40)  not null unique,
    conversation_id     varchar(40)  not null references conversations (id) on delete cascade,
    account_id          varchar(200) not null,
    role                varchar(16)  not null check (role in ('user', 'assistant')),
    content             text         not null,
    -- user: completed; assistant: generating -> completed | stopped | failed
    status              varchar(16)  not null check (status in ('generating', 'completed', 'stopped', 'failed')),
    model               varchar(100) not null,
    request_id          varchar(200),
    input_tokens        bigint,
    cached_input_tokens bigint,
    output_tokens       bigint,
    cost_micro_usd      bigint,
    latency_ms          bigint,
    time_to_first_token_ms bigint,
    finish_reason       varchar(40),
    history_truncated   boolean      not null default false,
    dropped_messages    integer      not null default 0,
    -- set by POST .../stop on any replica; the replica streaming the answer polls it
    stop_requested      boolean      not null default false,
    -- an answer being regenerated: the old answer, deleted when the new one is stored
    replaces_message_id varchar(40),
    created_at          timestamptz  not null,
    completed_at        timestamptz
);

create index messages_by_conversation on messages (conversation_id, seq);
create index messages_generating on messages (conversation_id) where status = 'generating';
