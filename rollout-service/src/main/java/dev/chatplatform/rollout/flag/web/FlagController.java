package dev.chatplatform.rollout.flag.web;

import dev.chatplatform.flags.FlagContext;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.rollout.flag.FlagService;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

@RestController
@RequestMapping("/api/v1/flags")
class FlagController {

    private final FlagService flags;

    FlagController(FlagService flags) {
        this.flags = flags;
    }

    @GetMapping
    @RequiresScope(Scope.ANALYST)
    Map<String, Object> list() {
        return Map.of("object", "list", "data", flags.list().stream().map(v -> FlagResponse.of(v, flags.overrides())).toList());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    FlagResponse create(CallerIdentity caller, @RequestBody FlagRequest request) {
        return FlagResponse.of(flags.create(request.key(), request.definition(), AuditLog.Actor.of(caller), request.reason()),
                flags.overrides());
    }

    @GetMapping("/{key}")
    @RequiresScope(Scope.ANALYST)
    FlagResponse get(@PathVariable String key) {
        return FlagResponse.of(flags.get(key), flags.overrides());
    }

    @PutMapping("/{key}")
    @RequiresScope(Scope.ADMIN)
    FlagResponse update(CallerIdentity caller, @PathVariable String key, @RequestBody FlagRequest request) {
        return FlagResponse.of(flags.update(key, request.definition(), AuditLog.Actor.of(caller), request.reason()),
                flags.overrides());
    }

    @PostMapping("/{key}/kill")
    @RequiresScope(Scope.ADMIN)
    FlagResponse kill(CallerIdentity caller, @PathVariable String key, @RequestBody(required = false) ReasonRequest request) {
        return FlagResponse.of(flags.kill(key, AuditLog.Actor.of(caller), reason(request)), flags.overrides());
    }

    @PostMapping("/{key}/revive")
    @RequiresScope(Scope.ADMIN)
    FlagResponse revive(CallerIdentity caller, @PathVariable String key, @RequestBody(required = false) ReasonRequest request) {
        return FlagResponse.of(flags.revive(key, AuditLog.Actor.of(caller), reason(request)), flags.overrides());
    }

    @GetMapping("/{key}/audit")
    @RequiresScope(Scope.ANALYST)
    Map<String, Object> audit(@PathVariable String key,
                              @RequestParam(defaultValue = "100") int limit) {
        return Map.of("object", "list", "data", flags.auditLog(key, limit));
    }

    @PostMapping("/evaluate")
    @RequiresScope(Scope.CHAT)
    EvaluateResponse evaluate(CallerIdentity caller, @RequestBody(required = false) EvaluateRequest request) {
        EvaluateRequest.Context c = request == null || request.context() == null
                ? new EvaluateRequest.Context(null, null, null) : request.context();
        String account = c.accountId() == null || c.accountId().isBlank() ? caller.accountId() : c.accountId();
        if (!account.equals(caller.accountId()) && !caller.hasScope(Scope.ADMIN)) {
            throw ApiException.forbidden("insufficient_scope", "only admins evaluate flags for another account");
        }
        Map<String, EvaluateResponse.Result> results = new LinkedHashMap<>();
        flags.evaluate(request == null ? null : request.flags(), new FlagContext(account, c.sessionId(), c.attributes()))
                .forEach((key, e) -> results.put(key,
                        new EvaluateResponse.Result(e.variant(), e.on(), e.reason().name(), e.version())));
        return new EvaluateResponse(account, results);
    }

    private static String reason(ReasonRequest request) {
        return ReasonRequest.required(request);
    }
}
