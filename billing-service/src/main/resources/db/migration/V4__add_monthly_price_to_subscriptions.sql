-- What the Stripe subscription bills per month for its recurring price (items' unit_amount x quantity brought to a
-- month, rounded down), in minor units of currency; null in local mode or when Stripe states no whole unit amount.
-- Published on subscriptions.v1 (monthlyAmount, currency) while a paid tier is in force.
alter table subscriptions add column monthly_amount bigint check (monthly_amount >= 0);
alter table subscriptions add column currency varchar(3);
alter table subscriptions add constraint subscriptions_price_has_currency
    check ((monthly_amount is null) = (currency is null));
