#!/bin/sh
# Prepares Kafka for the platform, idempotently: docker compose's 'kafka-init' and the Kubernetes Job 'kafka-init'.
# What it creates is kafka-catalog.sh, generated from contracts' event catalog (deploy-check's KafkaCatalogTest
# fails when it drifts):
#   1. one SCRAM-SHA-512 user per service (the service's name), password from KAFKA_<SERVICE>_PASSWORD;
#   2. every topic of the public event API, if it is missing;
#   3. the ACLs: a topic's producer alone writes it; its consumers read it, under consumer groups named after
#      themselves, and write its dead letters (<topic>.dlt).
# It runs as the admin (a super user: KAFKA_ADMIN_PASSWORD). deploy-check's KafkaSecurityTest runs it against a
# real broker and proves the result with each service's principal.
# It only adds: a grant removed from the catalog must be removed from the cluster by hand (kafka-acls.sh --remove).
# Existing topics are left as they are: change their settings with kafka-configs.sh --alter.
set -eu
BIN="${KAFKA_BIN:-/opt/kafka/bin}"
: "${KAFKA_BOOTSTRAP_SERVERS:?}"
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD}"
PROTOCOL="${KAFKA_SECURITY_PROTOCOL:-SASL_PLAINTEXT}"
PARTITIONS="${TOPIC_PARTITIONS:-3}"
REPLICATION="${TOPIC_REPLICATION_FACTOR:-1}"
MIN_ISR="${TOPIC_MIN_INSYNC_REPLICAS:-1}"

umask 077
ADMIN_CONFIG="$(mktemp)"
trap 'rm -f "$ADMIN_CONFIG"' EXIT
cat > "$ADMIN_CONFIG" <<PROPERTIES
security.protocol=$PROTOCOL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPERTIES
kafka() {
  tool="$1"
  shift
  "$BIN/$tool" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" "$@"
}

tries=0
until kafka kafka-topics.sh --list > /dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then echo "Kafka at $KAFKA_BOOTSTRAP_SERVERS did not answer (or refused the admin)" >&2; exit 1; fi
  sleep 2
done

# user <service> <password>: creates the principal User:<service>, or sets its password
user() {
  case "$2" in
    *[!A-Za-z0-9_-]*) echo "the Kafka password of $1 may hold only letters, digits, '-' and '_' (openssl rand -hex 32)" >&2; exit 1 ;;
  esac
  if [ "${#2}" -lt 16 ]; then echo "the Kafka password of $1 is shorter than 16 characters" >&2; exit 1; fi
  kafka kafka-configs.sh --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]" > /dev/null
  echo "user $1 ready"
}

# create <topic> <cleanup.policy>
create() {
  kafka kafka-topics.sh --create --if-not-exists \
    --topic "$1" --partitions "$PARTITIONS" --replication-factor "$REPLICATION" \
    --config "cleanup.policy=$2" --config "min.insync.replicas=$MIN_ISR" > /dev/null
  echo "topic $1 ($2) ready"
}

# allow <service> <Read|Write> <topic>...: the operation on exactly these topics (literal names)
allow() {
  principal="$1"
  operation="$2"
  shift 2
  for topic in "$@"; do
    set -- "$@" --topic "$topic"
    shift
  done
  kafka kafka-acls.sh --add --allow-principal "User:$principal" --operation "$operation" "$@" > /dev/null
  echo "User:$principal may $operation $*"
}

# groups <service>: the consumer groups whose names start with the service's name
groups() {
  kafka kafka-acls.sh --add --allow-principal "User:$1" --operation Read \
    --group "$1" --resource-pattern-type prefixed > /dev/null
  echo "User:$1 may use the consumer groups $1*"
}

. "$(dirname "$0")/kafka-catalog.sh"
echo "Kafka is ready for the platform"
