package dev.chatplatform.deploycheck;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The checked-in kafka-catalog.sh (users, topics, ACLs) is exactly what contracts' event catalog says. */
class KafkaCatalogTest {

    @Test
    void theGeneratedGrantsMatchTheEventCatalog() throws Exception {
        String expected = KafkaGrants.script();
        if (Boolean.getBoolean(KafkaGrants.WRITE_PROPERTY)) {
            Files.writeString(KafkaGrants.FILE, expected);
        }
        assertThat(Platform.read(KafkaGrants.FILE))
                .as("%s is out of date: regenerate it as its header says", Platform.ROOT.relativize(KafkaGrants.FILE))
                .isEqualTo(expected);
    }

    @Test
    void kafkaInitRunsTheGeneratedGrants() {
        String init = Platform.read(KafkaGrants.INIT_SCRIPT);
        assertThat(init).contains(". \"$(dirname \"$0\")/kafka-catalog.sh\"");
        assertThat(init).as("kafka-init.sh grants nothing of its own: the catalog does")
                .doesNotContainPattern("(?m)^(user|create|allow|groups) ");
    }
}
