package dev.chatplatform.provider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One OpenAI-compatible interface over LLM providers, with the model catalog and the dated price book. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProviderServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProviderServiceApplication.class, args);
    }
}
