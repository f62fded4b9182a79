package dev.chatplatform.chat;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Makes the database refuse the outbox rows of some requests, so their usage events cannot be written. */
final class UnwritableOutbox {

    /** Request ids starting with this have outbox rows the database refuses. */
    static final String PREFIX = "req-unwritable-";

    private UnwritableOutbox() {
    }

    /** Installs the trigger (idempotent: every test class of the JVM shares the database). */
    static void install(JdbcClient jdbc) {
        jdbc.sql("""
                create or replace function refuse_unwritable_usage() returns trigger language plpgsql as $$
                begin
                    if new.payload like '%%"%s%%' then raise exception 'usage cannot be written (test)'; end if;
                    return new;
                end $$""".formatted(PREFIX)).update();
        jdbc.sql("drop trigger if exists refuse_unwritable_usage on outbox_events").update();
        jdbc.sql("""
                create trigger refuse_unwritable_usage before insert on outbox_events
                for each row execute function refuse_unwritable_usage()""").update();
    }
}
