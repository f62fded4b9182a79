package dev.chatplatform.billing.account;

import dev.chatplatform.kit.identity.CallerIdentity;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AccountController {

    private final AccountService accounts;

    AccountController(AccountService accounts) {
        this.accounts = accounts;
    }

    /** Admin only (see AdminScopeInterceptor). 201 when this call created the account, 200 when one with the e-mail existed. */
    @PostMapping("/api/v1/admin/accounts")
    ResponseEntity<AccountResponse> create(@Valid @RequestBody CreateAccountRequest request) {
        AccountService.Creation creation = accounts.create(request);
        return ResponseEntity.status(creation.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(AccountResponse.of(creation.account()));
    }

    @GetMapping("/api/v1/accounts/me")
    AccountResponse me(CallerIdentity caller) {
        return AccountResponse.of(accounts.require(caller.accountId()));
    }
}
