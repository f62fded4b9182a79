package dev.chatplatform.kit.tx;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Runs work that must only follow a committed change: after the current transaction commits, or at once without one. */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Runs {@code action} when the current transaction commits (never if it rolls back); at once outside one. */
    public static void run(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
