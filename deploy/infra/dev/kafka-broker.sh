#!/bin/sh
# Starts the one-node Kafka of docker compose and the dev overlay from kafka-broker.properties, with the admin's
# password from KAFKA_ADMIN_PASSWORD. The first start formats the storage and stores the admin's SCRAM credential
# in the cluster metadata; the services' principals, the topics and the ACLs are kafka-init's work.
# KAFKA_BROKER_PROPERTIES names another properties file (deploy-check's KafkaSecurityTest: other ports and folders).
set -eu
BIN="${KAFKA_BIN:-/opt/kafka/bin}"
OUT="${KAFKA_CONFIG_DIR:-/tmp/kafka-config}"
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD}"
case "$KAFKA_ADMIN_PASSWORD" in
  *[!A-Za-z0-9_-]*) echo "KAFKA_ADMIN_PASSWORD may hold only letters, digits, '-' and '_' (openssl rand -hex 32)" >&2; exit 1 ;;
esac

umask 077
mkdir -p "$OUT"
cp "${KAFKA_BROKER_PROPERTIES:-$(dirname "$0")/kafka-broker.properties}" "$OUT/server.properties"
cat >> "$OUT/server.properties" <<PROPERTIES
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD" user_admin="$KAFKA_ADMIN_PASSWORD";
PROPERTIES
# the client settings of the health check (and of an operator's kafka-*.sh --command-config in the container)
cat > "$OUT/admin.properties" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPERTIES

"$BIN/kafka-storage.sh" format --ignore-formatted --cluster-id "$("$BIN/kafka-storage.sh" random-uuid)" \
  --config "$OUT/server.properties" --add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]"
exec "$BIN/kafka-server-start.sh" "$OUT/server.properties"
