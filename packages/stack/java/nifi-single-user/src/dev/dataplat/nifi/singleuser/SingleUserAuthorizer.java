package dev.dataplat.nifi.singleuser;

import org.apache.nifi.authorization.AuthorizationRequest;
import org.apache.nifi.authorization.AuthorizationResult;
import org.apache.nifi.authorization.Authorizer;
import org.apache.nifi.authorization.AuthorizerConfigurationContext;
import org.apache.nifi.authorization.AuthorizerInitializationContext;
import org.apache.nifi.authorization.exception.AuthorizerCreationException;

/** Grants every action on every resource to the one configured identity, and nothing to anyone else. */
public class SingleUserAuthorizer implements Authorizer {
    private String identity;

    @Override
    public void initialize(final AuthorizerInitializationContext context) {
    }

    @Override
    public void onConfigured(final AuthorizerConfigurationContext context) {
        final String configured = context.getProperty("Identity").getValue();
        if (configured == null || configured.isBlank()) {
            throw new AuthorizerCreationException("Property [Identity] is required");
        }
        identity = configured.trim();
    }

    @Override
    public AuthorizationResult authorize(final AuthorizationRequest request) {
        return identity.equals(request.getIdentity())
                ? AuthorizationResult.approved()
                : AuthorizationResult.denied("Only " + identity + " may access this NiFi");
    }

    @Override
    public void preDestruction() {
    }
}
