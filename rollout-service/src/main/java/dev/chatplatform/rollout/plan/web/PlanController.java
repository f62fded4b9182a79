package dev.chatplatform.rollout.plan.web;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.rollout.plan.Plan;
import dev.chatplatform.rollout.flag.web.ReasonRequest;
import dev.chatplatform.rollout.plan.PlanService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/flags/{key}/plan")
class PlanController {

    private final PlanService plans;

    PlanController(PlanService plans) {
        this.plans = plans;
    }

    @PutMapping
    @RequiresScope(Scope.ADMIN)
    Plan set(CallerIdentity caller, @PathVariable String key, @RequestBody(required = false) PlanRequest request) {
        PlanRequest r = request == null ? new PlanRequest(null, null, null) : request;
        return plans.set(key, r.phases(), r.autoAdvance() == null || r.autoAdvance(), AuditLog.Actor.of(caller),
                AuditLog.reason(r.reason()));
    }

    @GetMapping
    @RequiresScope(Scope.ANALYST)
    Plan get(@PathVariable String key) {
        return plans.find(key).orElseThrow(() -> ApiException.notFound("plan_not_found", "flag " + key + " has no plan"));
    }

    @PostMapping("/advance")
    @RequiresScope(Scope.ADMIN)
    Plan advance(CallerIdentity caller, @PathVariable String key, @RequestBody(required = false) ReasonRequest request) {
        return plans.advance(key, AuditLog.Actor.of(caller), AuditLog.reason(request == null ? null : request.reason()), null);
    }

    @PostMapping("/pause")
    @RequiresScope(Scope.ADMIN)
    Plan pause(CallerIdentity caller, @PathVariable String key, @RequestBody(required = false) ReasonRequest request) {
        return plans.pause(key, AuditLog.Actor.of(caller), ReasonRequest.required(request));
    }

    @PostMapping("/resume")
    @RequiresScope(Scope.ADMIN)
    Plan resume(CallerIdentity caller, @PathVariable String key, @RequestBody(required = false) ReasonRequest request) {
        return plans.resume(key, AuditLog.Actor.of(caller), ReasonRequest.required(request));
    }
}
