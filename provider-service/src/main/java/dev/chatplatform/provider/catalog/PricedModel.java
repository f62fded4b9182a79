package dev.chatplatform.provider.catalog;

/** A model together with the price in force for the request being served. */
public record PricedModel(Model model, Price price) {
}
