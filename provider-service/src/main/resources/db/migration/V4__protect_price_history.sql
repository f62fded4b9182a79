-- The price book is history: a price that has taken effect has billed requests, so it can be neither
-- changed nor removed (a correction is a new, later row). Prices scheduled for the future may still go.
create function forbid_price_history_change() returns trigger language plpgsql as $$
begin
    if old.effective_from <= now() then
        raise exception 'the price of % effective from % is in force or past and cannot be changed',
            old.model_id, old.effective_from using errcode = 'check_violation';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end
$$;

create trigger model_prices_are_history before update or delete on model_prices
    for each row execute function forbid_price_history_change();
