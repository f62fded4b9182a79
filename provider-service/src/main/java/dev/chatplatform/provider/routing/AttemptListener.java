package dev.chatplatform.provider.routing;

/** Told about every upstream call once its outcome is known. Must not throw (failures are logged and ignored). */
public interface AttemptListener {

    void recorded(Attempt attempt);
}
