package dev.chatplatform.billing.account;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.PageLimit;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

@Service
public class AccountService {

    /** Identities the gateway asserts for a valid OIDC token whose subject has no account yet. */
    public static final String OIDC_PREFIX = "oidc:";

    private final AccountRepository accounts;
    private final OidcLinkRepository links;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AuditLog audit;

    AccountService(AccountRepository accounts, OidcLinkRepository links, Outbox outbox,
                   ApplicationEventPublisher events, Clock clock, AuditLog audit) {
        this.accounts = accounts;
        this.links = links;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
        this.audit = audit;
    }

    /** The outcome of {@link #create}: the account, and whether this call created it. */
    public record Creation(Account account, boolean created) {
    }

    /**
     * Creates the account, or returns the existing one with the same e-mail unchanged (idempotent, also
     * under concurrent calls). Only a creation publishes an event.
     */
    @Transactional
    public Creation create(CreateAccountRequest request, AuditLog.Actor admin) {
        Tier tier = request.tier() == null ? Tier.FREE : Tier.fromWire(request.tier())
                .orElseThrow(() -> ApiException.invalid("invalid_value", "Invalid value for 'tier'.", "tier"));
        Creation creation = createOrFind(request.email(), request.name(), tier);
        if (creation.created()) {
            auditAccount(admin, "account.created", null, creation.account(), null);
        }
        return creation;
    }

    private Creation createOrFind(String email, String name, Tier tier) {
        Account candidate = Account.open(email, name, tier, now());
        if (accounts.insertIfEmailIsNew(candidate)) {
            publish(candidate);
            events.publishEvent(new AccountOpened(candidate.id(), candidate.email()));
            return new Creation(candidate, true);
        }
        // read committed: this statement sees the row whose concurrent insert made ours do nothing
        Account existing = accounts.findByEmail(candidate.email()).orElseThrow(
                () -> new IllegalStateException("account with e-mail vanished after a conflicting insert"));
        return new Creation(existing, false);
    }

    /**
     * Self-service sign-up, idempotent by OIDC subject or e-mail. An OIDC caller (identity {@code oidc:<sub>})
     * gets the account its subject is linked to, or the account of its verified e-mail (which it is then
     * linked to), or a new free account. An unverified e-mail never links to an existing account: that
     * would hand the account to whoever typed its address. An admin signs up on someone's behalf (by
     * e-mail); a caller that already has an account gets it back.
     */
    @Transactional
    public Creation signUp(CallerIdentity caller, String verifiedEmail, SignUpRequest request) {
        if (caller.accountId().startsWith(OIDC_PREFIX)) {
            String subject = caller.accountId().substring(OIDC_PREFIX.length());
            Optional<Account> linked = accounts.findByOidcSubject(subject);
            if (linked.isPresent()) {
                return new Creation(linked.get(), false);
            }
            String email = verifiedEmail != null ? verifiedEmail : request.email();
            if (email == null || email.isBlank()) {
                throw ApiException.invalid("missing_required_parameter",
                        "Missing required parameter: 'email' (the token carries no verified e-mail).", "email");
            }
            Optional<Account> byEmail = accounts.findByEmail(Account.normalizeEmail(email));
            if (byEmail.isPresent() && (verifiedEmail == null || byEmail.get().isDeleted())) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "email_taken",
                        "An account with this e-mail exists; sign in with a token whose e-mail is verified to link it.",
                        "email");
            }
            Creation creation = byEmail.map(a -> new Creation(a, false))
                    .orElseGet(() -> createOrFind(email, request.name(), Tier.FREE));
            if (!accounts.linkOidcSubject(creation.account().id(), subject)) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "email_taken",
                        "The account with this e-mail is linked to another sign-in already.", "email");
            }
            publishLink(subject, creation.account().id(), creation.account().status() == AccountStatus.ACTIVE);
            return creation;
        }
        if (caller.hasScope(CallerIdentity.ADMIN)) {
            if (request.email() == null || request.email().isBlank()) {
                throw ApiException.invalid("missing_required_parameter", "Missing required parameter: 'email'.", "email");
            }
            return createOrFind(request.email(), request.name(), Tier.FREE);
        }
        return new Creation(require(caller.accountId()), false);
    }

    /** The caller's own account; an identity that names no account here gets 404. */
    @Transactional(readOnly = true)
    public Account require(String accountId) {
        return AccountId.parse(accountId).flatMap(accounts::findById)
                .orElseThrow(() -> notFound(accountId));
    }

    /** Whether an account (of any status) has this id here. */
    @Transactional(readOnly = true)
    public boolean exists(AccountId id) {
        return accounts.findById(id).isPresent();
    }

    /**
     * Changes the name (anyone, on their own account) and the status (admin: active or suspended). An admin's change
     * is audited (suspended, reactivated, or updated for a name alone) with the request's reason.
     *
     * @param admin the admin making the change, or null for the account's own (self-service) change
     */
    @Transactional
    public Account update(String accountId, UpdateAccountRequest request, AuditLog.Actor admin) {
        Account account = lock(accountId);
        if (account.isDeleted()) {
            throw notFound(accountId);
        }
        if (request.status() != null && admin == null) {
            throw ApiException.forbidden("insufficient_scope", "Only an admin can change an account's status.");
        }
        Account next = account;
        if (request.name() != null && !request.name().equals(account.name())) {
            next = next.withName(request.name(), now());
        }
        AccountStatus status = request.status() == null ? account.status() : AccountStatus.fromWire(request.status());
        if (status != account.status()) {
            next = new Account(next.id(), next.email(), next.name(), next.tier(), status, account.version() + 1,
                    next.createdAt(), now());
        }
        if (next == account) {
            return account;
        }
        next = new Account(next.id(), next.email(), next.name(), next.tier(), next.status(), account.version() + 1,
                next.createdAt(), now());
        save(next);
        if (status != account.status()) {
            accounts.oidcSubject(next.id()).ifPresent(s -> publishLink(s, account.id(), status == AccountStatus.ACTIVE));
        }
        if (admin != null) {
            String action = status == account.status() ? "account.updated"
                    : status == AccountStatus.SUSPENDED ? "account.suspended" : "account.reactivated";
            auditAccount(admin, action, account, next, request.reason());
        }
        return next;
    }

    /**
     * Deletes the account: its e-mail and name are erased, it drops to free, its OIDC subject is unlinked
     * and disabled, and (through {@link AccountClosed}) its keys are revoked and its subscription ended, all
     * in one transaction. Deleting a deleted account changes nothing. An admin's deletion is audited.
     *
     * @param admin  the admin deleting it, or null when the account deletes itself
     * @param reason why (admin only), or null
     */
    @Transactional
    public void delete(String accountId, AuditLog.Actor admin, String reason) {
        Account account = lock(accountId);
        if (account.isDeleted()) {
            return;
        }
        Account deleted = account.deleted(now());
        save(deleted);
        accounts.oidcSubject(account.id()).ifPresent(subject -> {
            accounts.clearOidcSubject(account.id());
            publishLink(subject, account.id(), false);
        });
        events.publishEvent(new AccountClosed(account.id(), accounts.stripeCustomerId(account.id()).orElse(null)));
        if (admin != null) {
            auditAccount(admin, "account.deleted", account, deleted, reason);
        }
    }

    /** Audits an admin's change of the account ({@code before} is null when it was created). */
    private void auditAccount(AuditLog.Actor admin, String action, Account before, Account after, String reason) {
        audit.record(admin, action, "account", after.id().toString(),
                before == null ? null : AccountResponse.of(before), AccountResponse.of(after), reason);
    }

    @Transactional(readOnly = true)
    public AccountListResponse list(String status, String search, String after, int limit) {
        AccountStatus wanted = status == null ? null : switch (status) {
            case "active", "suspended", "deleted" -> AccountStatus.fromWire(status);
            default -> throw ApiException.invalid("invalid_value", "Invalid value for 'status'.", "status");
        };
        PageLimit.check(limit);
        AccountId from = after == null ? null : AccountId.parse(after)
                .orElseThrow(() -> ApiException.invalid("invalid_value", "Invalid value for 'after'.", "after"));
        if (search != null && search.length() > 200) {
            throw ApiException.invalid("invalid_value", "'q' must be at most 200 characters.", "q");
        }
        String wantedText = search == null || search.isBlank() ? null : search.strip();
        List<Account> page = accounts.list(wanted, wantedText, from, limit + 1);
        return AccountListResponse.of(page.subList(0, Math.min(limit, page.size())), page.size() > limit);
    }

    /** Sets the tier the account is entitled to (called by the subscription feature); publishes when it changes. */
    @Transactional
    public void changeTier(AccountId id, Tier tier) {
        Account account = accounts.findForUpdate(id).orElseThrow(() -> notFound(id.toString()));
        if (account.tier() != tier && !account.isDeleted()) {
            save(account.withTier(tier, now()));
        }
    }

    @Transactional(readOnly = true)
    public Optional<String> stripeCustomerId(AccountId id) {
        return accounts.stripeCustomerId(id);
    }

    @Transactional(readOnly = true)
    public Optional<AccountId> findByStripeCustomerId(String customerId) {
        return accounts.findByStripeCustomerId(customerId);
    }

    @Transactional
    public void recordStripeCustomer(AccountId id, String customerId) {
        accounts.setStripeCustomerId(id, customerId);
    }

    /** Forgets the account's Stripe customer if it is still {@code customerId}; false when it has another one or none. */
    @Transactional
    public boolean forgetStripeCustomer(AccountId id, String customerId) {
        return accounts.clearStripeCustomerId(id, customerId);
    }

    private Account lock(String accountId) {
        return AccountId.parse(accountId).flatMap(accounts::findForUpdate).orElseThrow(() -> notFound(accountId));
    }

    private void save(Account next) {
        if (!accounts.update(next)) {
            throw new OptimisticLockingFailureException("account " + next.id() + " changed concurrently");
        }
        publish(next);
    }

    private void publishLink(String subject, AccountId accountId, boolean active) {
        long version = links.findForUpdate(subject).map(l -> l.version() + 1).orElse(1L);
        OidcLinkRepository.Link link = new OidcLinkRepository.Link(subject, accountId, active ? "active" : "disabled", version);
        Instant now = now();
        links.save(link, now);
        outbox.publish(OidcSubjectChanged.TYPE, subject + ":v" + version, subject, accountId.toString(),
                new OidcSubjectChanged(subject, accountId.toString(), link.status(), version, now));
    }

    private static ApiException notFound(String accountId) {
        return ApiException.notFound("account_not_found", "No account with id '" + accountId + "'.");
    }

    /** PostgreSQL stores microseconds; truncating keeps the published time equal to the stored one. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void publish(Account account) {
        outbox.publish(AccountChanged.TYPE, account.eventCause(), account.id().toString(), account.id().toString(),
                account.toEvent());
    }
}
