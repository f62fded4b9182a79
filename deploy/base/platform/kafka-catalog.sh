# GENERATED from contracts' EventCatalog (each topic's producer and consumers) by deploy-check's
# KafkaCatalogTest: do not edit. After changing the catalog, regenerate it with
#   ./mvnw -pl deploy-check -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=KafkaCatalogTest -Dkafka.catalog.write=true
# Sourced by kafka-init.sh, which defines user, create, allow and groups.

# one principal per service, User:<service>
user gateway "${KAFKA_GATEWAY_PASSWORD:?set KAFKA_GATEWAY_PASSWORD}"
user chat-service "${KAFKA_CHAT_SERVICE_PASSWORD:?set KAFKA_CHAT_SERVICE_PASSWORD}"
user provider-service "${KAFKA_PROVIDER_SERVICE_PASSWORD:?set KAFKA_PROVIDER_SERVICE_PASSWORD}"
user billing-service "${KAFKA_BILLING_SERVICE_PASSWORD:?set KAFKA_BILLING_SERVICE_PASSWORD}"
user usage-service "${KAFKA_USAGE_SERVICE_PASSWORD:?set KAFKA_USAGE_SERVICE_PASSWORD}"
user rollout-service "${KAFKA_ROLLOUT_SERVICE_PASSWORD:?set KAFKA_ROLLOUT_SERVICE_PASSWORD}"
user analytics-service "${KAFKA_ANALYTICS_SERVICE_PASSWORD:?set KAFKA_ANALYTICS_SERVICE_PASSWORD}"

# every topic of the public event API, and its cleanup.policy
create usage.v1 delete
create usage.v1.dlt delete
create quota.v1 compact
create quota.v1.dlt delete
create quota-thresholds.v1 delete
create quota-thresholds.v1.dlt delete
create accounts.v1 compact
create accounts.v1.dlt delete
create api-keys.v1 compact
create api-keys.v1.dlt delete
create subscriptions.v1 compact
create subscriptions.v1.dlt delete
create oidc-subjects.v1 compact
create oidc-subjects.v1.dlt delete
create billing.v1 delete
create billing.v1.dlt delete
create flags.v1 compact
create flags.v1.dlt delete
create rollout-decisions.v1 delete
create rollout-decisions.v1.dlt delete
create llm-calls.v1 delete
create llm-calls.v1.dlt delete
create conversations.v1 delete
create conversations.v1.dlt delete
create audit.v1 delete
create audit.v1.dlt delete

# a topic's producer alone writes it (with the few that write some of its events in its stead); its consumers read it and write its dead letters
allow gateway Read quota.v1 accounts.v1 api-keys.v1 oidc-subjects.v1
allow gateway Write quota.v1.dlt accounts.v1.dlt api-keys.v1.dlt oidc-subjects.v1.dlt
allow chat-service Write usage.v1 conversations.v1
allow chat-service Read quota.v1
allow chat-service Write quota.v1.dlt
allow provider-service Write llm-calls.v1 audit.v1
allow provider-service Read accounts.v1 flags.v1
allow provider-service Write accounts.v1.dlt flags.v1.dlt
allow billing-service Write accounts.v1 api-keys.v1 subscriptions.v1 oidc-subjects.v1 billing.v1 audit.v1
allow billing-service Read usage.v1
allow billing-service Write usage.v1.dlt
allow usage-service Write usage.v1 quota.v1 quota-thresholds.v1 audit.v1
allow usage-service Read usage.v1 accounts.v1 subscriptions.v1 llm-calls.v1
allow usage-service Write usage.v1.dlt accounts.v1.dlt subscriptions.v1.dlt llm-calls.v1.dlt
allow rollout-service Write flags.v1 rollout-decisions.v1 audit.v1
allow rollout-service Read usage.v1 llm-calls.v1
allow rollout-service Write usage.v1.dlt llm-calls.v1.dlt
allow analytics-service Write audit.v1
allow analytics-service Read usage.v1 quota.v1 quota-thresholds.v1 accounts.v1 api-keys.v1 subscriptions.v1 oidc-subjects.v1 billing.v1 flags.v1 rollout-decisions.v1 llm-calls.v1 conversations.v1 audit.v1
allow analytics-service Write usage.v1.dlt quota.v1.dlt quota-thresholds.v1.dlt accounts.v1.dlt api-keys.v1.dlt subscriptions.v1.dlt oidc-subjects.v1.dlt billing.v1.dlt flags.v1.dlt rollout-decisions.v1.dlt llm-calls.v1.dlt conversations.v1.dlt audit.v1.dlt

# consumers use the consumer groups named after them (<service>, <service>-*)
groups gateway
groups chat-service
groups provider-service
groups billing-service
groups usage-service
groups rollout-service
groups analytics-service
