-- What processing a Stripe event did, for the operators' list of webhook events: 'applied' (a type billing handles)
-- or 'ignored' (stored, nothing to do). Null while unprocessed: the event's stripe-webhook job then says whether it
-- waits, retries or is parked.
alter table stripe_events add column outcome varchar(10) check (outcome in ('applied', 'ignored'));
update stripe_events set outcome = case when type in (
        'checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated',
        'customer.subscription.deleted', 'customer.subscription.paused', 'customer.subscription.resumed',
        'invoice.paid', 'invoice.payment_succeeded', 'invoice.payment_failed', 'customer.deleted')
    then 'applied' else 'ignored' end
where processed_at is not null;
alter table stripe_events add constraint stripe_events_outcome_when_processed
    check ((processed_at is null) = (outcome is null));

-- the operators' list: newest first, optionally of one type
create index stripe_events_received on stripe_events (received_at desc, id desc);
create index stripe_events_type_received on stripe_events (type, received_at desc, id desc);
