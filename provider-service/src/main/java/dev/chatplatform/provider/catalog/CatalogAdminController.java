package dev.chatplatform.provider.catalog;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The catalog and price book for admins (scope admin; 403 otherwise). */
@RestController
@RequestMapping("/api/v1/admin/models")
class CatalogAdminController {

    private final CatalogAdminService admin;

    CatalogAdminController(CatalogAdminService admin) {
        this.admin = admin;
    }

    @GetMapping
    ModelAdminResponse.ListResponse list(CallerIdentity caller) {
        requireAdmin(caller);
        return new ModelAdminResponse.ListResponse(admin.list());
    }

    @GetMapping("/{id}")
    ModelAdminResponse get(@PathVariable String id, CallerIdentity caller) {
        requireAdmin(caller);
        return admin.get(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ModelAdminResponse create(@RequestBody ModelAdminRequest request, CallerIdentity caller) {
        requireAdmin(caller);
        return admin.create(request);
    }

    @PatchMapping("/{id}")
    ModelAdminResponse update(@PathVariable String id, @RequestBody ModelAdminRequest request, CallerIdentity caller) {
        requireAdmin(caller);
        return admin.update(id, request);
    }

    @PostMapping("/{id}/prices")
    @ResponseStatus(HttpStatus.CREATED)
    ModelAdminResponse addPrice(@PathVariable String id, @RequestBody PriceRequest request, CallerIdentity caller) {
        requireAdmin(caller);
        return admin.addPrice(id, request);
    }

    private static void requireAdmin(CallerIdentity caller) {
        if (!caller.hasScope(CallerIdentity.ADMIN)) {
            throw ApiException.forbidden("admin_required", "Managing the model catalog needs the admin scope.");
        }
    }
}
