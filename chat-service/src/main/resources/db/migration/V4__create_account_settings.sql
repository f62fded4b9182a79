-- A person's preferences for their chats (the web console's settings page): one row per account, written whole.
create table account_settings (
    account_id            varchar(200) primary key,
    default_model         varchar(100),
    default_system_prompt text         not null default '',
    show_cost             boolean      not null default true,
    theme                 varchar(16)  not null default 'system' check (theme in ('system', 'light', 'dark')),
    updated_at            timestamptz  not null
);
