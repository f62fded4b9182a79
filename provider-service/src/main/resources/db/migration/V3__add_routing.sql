-- Routing lives in the catalog, next to the models it routes (and is managed by the same admin API).
-- fallbacks: other model ids tried, in order, when every deployment of this model failed before its first
-- token reached the client. Only one level is followed (a fallback's own fallbacks are not).
alter table models add column fallbacks text[] not null default '{}';
-- enabled = false takes a model out of service (listing and serving) without deleting its history.
alter table models add column enabled boolean not null default true;

-- Several deployments of one model (the same model on two providers or two endpoints), picked at random
-- in proportion to weight; the others are tried next when the picked one fails. A model without rows here
-- has exactly one deployment: its own provider and upstream_model. weight 0 = standby (only when others fail).
create table model_deployments (
    model_id       text    not null references models (id),
    provider       text    not null,
    upstream_model text    not null,
    weight         integer not null default 1 check (weight >= 0),
    primary key (model_id, provider, upstream_model)
);
