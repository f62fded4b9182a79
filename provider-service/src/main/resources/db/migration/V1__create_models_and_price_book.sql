-- The model catalog: what callers may ask for, and which provider serves it under which upstream name.
create table models (
    id                text primary key,
    provider          text        not null,
    upstream_model    text        not null,
    context_window    integer     not null check (context_window > 0),
    max_output_tokens integer     not null check (max_output_tokens > 0),
    capabilities      text[]      not null default '{}',
    created_at        timestamptz not null default now()
);

-- The dated price book: the row with the latest effective_from not after a request's time is in force.
-- Prices are integer micro-USD per million tokens; a model with no row in force is refused, never served at $0.
create table model_prices (
    model_id                          text        not null references models (id),
    effective_from                    timestamptz not null,
    input_micro_usd_per_mtok          bigint      not null check (input_micro_usd_per_mtok >= 0),
    output_micro_usd_per_mtok         bigint      not null check (output_micro_usd_per_mtok >= 0),
    cached_input_micro_usd_per_mtok   bigint      not null check (cached_input_micro_usd_per_mtok >= 0),
    primary key (model_id, effective_from)
);

insert into models (id, provider, upstream_model, context_window, max_output_tokens, capabilities, created_at)
values ('sim-1', 'simulated', 'sim-1', 128000, 16384, '{chat,streaming}', '2025-01-01T00:00:00Z'),
       ('sim-1-mini', 'simulated', 'sim-1-mini', 128000, 16384, '{chat,streaming}', '2025-01-01T00:00:00Z');

-- sim-1: $0.50 input / $1.50 output / $0.25 cached input; sim-1-mini: $0.10 / $0.40 / $0.05 (per million tokens)
insert into model_prices (model_id, effective_from, input_micro_usd_per_mtok, output_micro_usd_per_mtok,
                          cached_input_micro_usd_per_mtok)
values ('sim-1', '2025-01-01T00:00:00Z', 500000, 1500000, 250000),
       ('sim-1-mini', '2025-01-01T00:00:00Z', 100000, 400000, 50000);
