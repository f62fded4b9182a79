package dev.chatplatform.kit.web;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures {@link ApiErrorHandler} answers with 503 + Retry-After (the database is out) rather than 500. */
class DatabaseUnavailableTest {

    @Test
    void aConnectionLostMidTransactionWhoseRollbackAlsoFailedIsTheDatabaseBeingDown() {
        // what a request sees when its connection is terminated under it: the rollback fails on the closed
        // connection and carries the real failure as its application exception
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException(
                "terminating connection due to administrator command", new SQLException("FATAL", "57P01")));

        assertThat(ApiErrorHandler.databaseUnavailable(rollbackFailed)).isTrue();
    }

    @Test
    void aQueryTheDatabaseRefusedIsNot() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new DataIntegrityViolationException("duplicate key"));

        assertThat(ApiErrorHandler.databaseUnavailable(rollbackFailed)).isFalse();
        assertThat(ApiErrorHandler.databaseUnavailable(new DataIntegrityViolationException("duplicate key"))).isFalse();
    }
}
