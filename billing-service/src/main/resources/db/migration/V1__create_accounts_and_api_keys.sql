-- billing-service owns accounts and their API keys. Both tables carry a version that grows by one with
-- every change: it is published with the full state on accounts.v1 / api-keys.v1 (compacted), where
-- consumers keep the highest version they have seen.

create table accounts (
    id         uuid         primary key,
    -- stored lower-cased so uniqueness ignores case; account creation is idempotent on it
    email      varchar(254) not null unique check (email = lower(email)),
    name       varchar(100),
    tier       varchar(20)  not null check (tier in ('free', 'basic', 'pro', 'enterprise')),
    status     varchar(20)  not null check (status in ('active', 'suspended', 'deleted')),
    version    bigint       not null check (version >= 1),
    created_at timestamptz  not null,
    updated_at timestamptz  not null
);

create table api_keys (
    id          varchar(18)  primary key check (id ~ '^k_[0-9a-f]{16}$'),
    account_id  uuid         not null references accounts (id),
    -- lower-case hex SHA-256 of the secret; the secret itself is shown once and never stored
    secret_hash char(64)     not null unique check (secret_hash ~ '^[0-9a-f]{64}$'),
    -- the first 12 characters of the secret, safe to display
    prefix      varchar(12)  not null,
    name        varchar(100),
    scopes      text[]       not null check (cardinality(scopes) > 0),
    status      varchar(10)  not null check (status in ('active', 'revoked')),
    version     bigint       not null check (version >= 1),
    created_at  timestamptz  not null,
    revoked_at  timestamptz,
    check ((status = 'revoked') = (revoked_at is not null))
);
create index api_keys_by_account on api_keys (account_id, created_at);
