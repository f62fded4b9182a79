package dev.chatplatform.kit.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets a controller method take a {@link CallerIdentity} parameter: the verified caller, or a 401. */
class CallerIdentityArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType().equals(CallerIdentity.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binders) {
        Object identity = request.getAttribute(EdgeFilter.IDENTITY_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (identity == null) {
            throw ApiException.unauthorized("unauthenticated", "No caller identity on this request.");
        }
        return identity;
    }
}
