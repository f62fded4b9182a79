package dev.chatplatform.usage.quota;

/** A hold and whether this call placed it (false: the request already had one, returned as it is). */
public record HoldResult(Hold hold, boolean created) {
}
