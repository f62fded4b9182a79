package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The catalog and price book for admins (scope admin; 403 otherwise); every change is audited ({@link AuditLog}). */
@RestController
@RequestMapping("/api/v1/admin/models")
class CatalogAdminController {

    private final CatalogAdminService admin;

    CatalogAdminController(CatalogAdminService admin) {
        this.admin = admin;
    }

    @GetMapping
    @RequiresScope(Scope.ANALYST)
    ModelAdminResponse.ListResponse list() {
        return new ModelAdminResponse.ListResponse(admin.list());
    }

    @GetMapping("/{id}")
    @RequiresScope(Scope.ANALYST)
    ModelAdminResponse get(@PathVariable String id) {
        return admin.get(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    ModelAdminResponse create(CallerIdentity caller, @RequestBody ModelAdminRequest request) {
        return admin.create(request, AuditLog.Actor.of(caller));
    }

    @PatchMapping("/{id}")
    @RequiresScope(Scope.ADMIN)
    ModelAdminResponse update(CallerIdentity caller, @PathVariable String id,
                              @RequestBody ModelAdminRequest request) {
        return admin.update(id, request, AuditLog.Actor.of(caller));
    }

    @PostMapping("/{id}/prices")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    ModelAdminResponse addPrice(CallerIdentity caller, @PathVariable String id, @RequestBody PriceRequest request) {
        return admin.addPrice(id, request, AuditLog.Actor.of(caller));
    }
}
