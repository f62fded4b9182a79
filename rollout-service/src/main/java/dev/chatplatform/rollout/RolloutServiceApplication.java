package dev.chatplatform.rollout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Feature flags with sticky cohorts, phased plans and automatic rollback (see README). */
@SpringBootApplication
public class RolloutServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RolloutServiceApplication.class, args);
    }
}
