-- An answer to model "auto": the model provider-service chose for it and why (its X-Platform-Auto-Model header).
alter table messages add column auto_model varchar(100);
alter table messages add column auto_reason varchar(500);
