package dev.chatplatform.billing.apikey;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    /** A key on any account. */
    @PostMapping("/api/v1/admin/accounts/{accountId}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    CreatedApiKeyResponse createForAccount(CallerIdentity caller, @PathVariable String accountId,
                                           @Valid @RequestBody CreateApiKeyRequest request) {
        return CreatedApiKeyResponse.of(keys.issue(accountId, request, AuditLog.Actor.of(caller)));
    }

    /** Every key of an account (never a secret), for the operator's console. */
    @GetMapping("/api/v1/admin/accounts/{accountId}/api-keys")
    @RequiresScope(Scope.ANALYST)
    ApiKeyListResponse listForAccount(@PathVariable String accountId) {
        return ApiKeyListResponse.of(keys.listOf(accountId));
    }

    @PostMapping("/api/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ACCOUNT)
    CreatedApiKeyResponse create(CallerIdentity caller, @Valid @RequestBody CreateApiKeyRequest request) {
        return CreatedApiKeyResponse.of(keys.issueForCaller(caller, request));
    }

    @GetMapping("/api/v1/api-keys")
    @RequiresScope(Scope.ACCOUNT)
    ApiKeyListResponse list(CallerIdentity caller) {
        return ApiKeyListResponse.of(keys.list(caller));
    }

    /** 204 whether this call revoked the key or it was revoked already. */
    @DeleteMapping("/api/v1/api-keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.ACCOUNT)
    void revoke(CallerIdentity caller, @PathVariable String keyId) {
        keys.revoke(caller, keyId);
    }
}
