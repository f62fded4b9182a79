package dev.chatplatform.billing.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.EdgeFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets only admin callers reach admin endpoints. It runs before the body is read and validated, so a
 * caller without the scope learns nothing about what a valid request would look like.
 */
class AdminScopeInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(request.getAttribute(EdgeFilter.IDENTITY_ATTRIBUTE) instanceof CallerIdentity caller)) {
            throw ApiException.unauthorized("unauthenticated", "No caller identity on this request.");
        }
        if (!caller.hasScope(CallerIdentity.ADMIN)) {
            throw ApiException.forbidden("insufficient_scope", "This endpoint requires the 'admin' scope.");
        }
        return true;
    }
}
