#!/bin/sh
# Creates every topic of the public event API (contracts' EventCatalog.TOPICS) if it is missing.
# Used by the Kubernetes Job 'platform-topics' and by docker-compose's 'kafka-init'.
# deploy-check's tests fail when a topic of the catalog has no 'create' line here.
# Existing topics are left as they are: change their settings with kafka-configs.sh --alter.
set -eu
BIN=/opt/kafka/bin
: "${KAFKA_BOOTSTRAP_SERVERS:?}"
PARTITIONS="${TOPIC_PARTITIONS:-3}"
REPLICATION="${TOPIC_REPLICATION_FACTOR:-1}"
MIN_ISR="${TOPIC_MIN_INSYNC_REPLICAS:-1}"

tries=0
until "$BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list > /dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then echo "Kafka at $KAFKA_BOOTSTRAP_SERVERS did not answer" >&2; exit 1; fi
  sleep 2
done

# create <topic> <cleanup.policy>
create() {
  "$BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$1" --partitions "$PARTITIONS" --replication-factor "$REPLICATION" \
    --config "cleanup.policy=$2" --config "min.insync.replicas=$MIN_ISR"
  echo "topic $1 ($2) ready"
}

create usage.v1 delete
create usage.v1.dlt delete
create quota.v1 compact
create quota-thresholds.v1 delete
create accounts.v1 compact
create api-keys.v1 compact
create subscriptions.v1 compact
create oidc-subjects.v1 compact
create billing.v1 delete
create flags.v1 compact
create rollout-decisions.v1 delete
create rollout-audit.v1 delete
create llm-calls.v1 delete
create conversations.v1 delete
