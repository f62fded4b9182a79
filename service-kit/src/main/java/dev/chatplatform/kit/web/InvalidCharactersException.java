package dev.chatplatform.kit.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * A request body string that {@link TextChecks} refuses. Jackson prepends the JSON path as it unwinds, so the
 * answer names the field ({@link ErrorCode#INVALID_CHARACTERS}, {@code param} = the path).
 */
class InvalidCharactersException extends InvalidFormatException {

    InvalidCharactersException(JsonParser parser, String problem) {
        super(parser, problem, null, String.class);
    }
}
