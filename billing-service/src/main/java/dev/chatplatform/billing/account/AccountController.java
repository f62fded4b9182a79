package dev.chatplatform.billing.account;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.Authenticated;
import dev.chatplatform.kit.web.RequiresScope;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AccountController {

    /** Set by the gateway (and stripped from clients) for OIDC callers whose token says the e-mail is verified. */
    static final String VERIFIED_EMAIL_HEADER = "X-Platform-Oidc-Email";

    private final AccountService accounts;

    AccountController(AccountService accounts) {
        this.accounts = accounts;
    }

    /** 201 when this call created the account, 200 when one with the e-mail existed. */
    @PostMapping("/api/v1/admin/accounts")
    @RequiresScope(Scope.ADMIN)
    ResponseEntity<AccountResponse> create(CallerIdentity caller, @Valid @RequestBody CreateAccountRequest request) {
        return answer(accounts.create(request, AuditLog.Actor.of(caller)));
    }

    /** Self-service sign-up: 201 created, 200 when the subject or e-mail already has the account. */
    @PostMapping("/api/v1/accounts")
    @Authenticated
    ResponseEntity<AccountResponse> signUp(CallerIdentity caller,
                                           @RequestHeader(name = VERIFIED_EMAIL_HEADER, required = false) String verifiedEmail,
                                           @Valid @RequestBody(required = false) SignUpRequest request) {
        return answer(accounts.signUp(caller, verifiedEmail, request == null ? new SignUpRequest(null, null) : request));
    }

    @GetMapping("/api/v1/accounts/me")
    @RequiresScope(Scope.ACCOUNT)
    AccountResponse me(CallerIdentity caller) {
        return AccountResponse.of(accounts.require(caller.accountId()));
    }

    /**
     * Who the caller is as the gateway asserted it: account, key and scopes. Any identity may ask (an operator's
     * key without the {@code account} scope, or the bootstrap admin, which is no account), so a frontend can tell
     * which of its parts to offer.
     */
    @GetMapping("/api/v1/accounts/me/identity")
    @Authenticated
    IdentityResponse identity(CallerIdentity caller) {
        return new IdentityResponse(caller.accountId(), caller.keyId(), caller.scopes().stream().sorted().toList());
    }

    @PatchMapping("/api/v1/accounts/me")
    @RequiresScope(Scope.ACCOUNT)
    AccountResponse updateMe(CallerIdentity caller, @Valid @RequestBody UpdateAccountRequest request) {
        return AccountResponse.of(accounts.update(caller.accountId(), request, null));
    }

    @DeleteMapping("/api/v1/accounts/me")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.ACCOUNT)
    void deleteMe(CallerIdentity caller) {
        accounts.delete(caller.accountId(), null, null);
    }

    @GetMapping("/api/v1/admin/accounts")
    @RequiresScope(Scope.ANALYST)
    AccountListResponse list(@RequestParam(required = false) String status,
                             @RequestParam(required = false) String q,
                             @RequestParam(required = false) String after,
                             @RequestParam(defaultValue = "20") int limit) {
        return accounts.list(status, q, after, limit);
    }

    @GetMapping("/api/v1/admin/accounts/{accountId}")
    @RequiresScope(Scope.ANALYST)
    AccountResponse get(@PathVariable String accountId) {
        return AccountResponse.of(accounts.require(accountId));
    }

    @PatchMapping("/api/v1/admin/accounts/{accountId}")
    @RequiresScope(Scope.ADMIN)
    AccountResponse update(CallerIdentity caller, @PathVariable String accountId,
                           @Valid @RequestBody UpdateAccountRequest request) {
        return AccountResponse.of(accounts.update(accountId, request, AuditLog.Actor.of(caller)));
    }

    /** {@code reason} (optional) is kept in the audit log. */
    @DeleteMapping("/api/v1/admin/accounts/{accountId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.ADMIN)
    void delete(CallerIdentity caller, @PathVariable String accountId,
                @RequestParam(required = false) String reason) {
        accounts.delete(accountId, AuditLog.Actor.of(caller), AuditLog.reason(reason));
    }

    private static ResponseEntity<AccountResponse> answer(AccountService.Creation creation) {
        return ResponseEntity.status(creation.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(AccountResponse.of(creation.account()));
    }
}
