package dev.dataplat.nifi.singleuser;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.apache.nifi.authentication.AuthenticationResponse;
import org.apache.nifi.authentication.LoginCredentials;
import org.apache.nifi.authentication.LoginIdentityProvider;
import org.apache.nifi.authentication.LoginIdentityProviderConfigurationContext;
import org.apache.nifi.authentication.LoginIdentityProviderInitializationContext;
import org.apache.nifi.authentication.exception.InvalidLoginCredentialsException;
import org.apache.nifi.authentication.exception.ProviderCreationException;

/**
 * Accepts exactly one username and password. The password is stored as
 * "pbkdf2-sha256$iterations$base64(salt)$base64(hash)", never in clear text.
 */
public class SingleUserLoginIdentityProvider implements LoginIdentityProvider {
    private static final long DEFAULT_EXPIRATION_MILLIS = TimeUnit.HOURS.toMillis(8);

    private String identifier;
    private String username;
    private int iterations;
    private byte[] salt;
    private byte[] expectedHash;
    private long expirationMillis;

    @Override
    public void initialize(final LoginIdentityProviderInitializationContext context) {
        identifier = context.getIdentifier();
    }

    @Override
    public void onConfigured(final LoginIdentityProviderConfigurationContext context) {
        username = required(context, "Username");
        final String[] parts = required(context, "Password Hash").split("\\$");
        if (parts.length != 4 || !"pbkdf2-sha256".equals(parts[0])) {
            throw new ProviderCreationException("Password Hash must look like pbkdf2-sha256$iterations$salt$hash");
        }
        iterations = Integer.parseInt(parts[1]);
        salt = Base64.getDecoder().decode(parts[2]);
        expectedHash = Base64.getDecoder().decode(parts[3]);
        final String expiration = context.getProperty("Token Expiration Seconds");
        expirationMillis = expiration == null || expiration.isBlank()
                ? DEFAULT_EXPIRATION_MILLIS
                : TimeUnit.SECONDS.toMillis(Long.parseLong(expiration.trim()));
    }

    @Override
    public AuthenticationResponse authenticate(final LoginCredentials credentials) {
        final boolean userMatches = MessageDigest.isEqual(
                username.getBytes(StandardCharsets.UTF_8), credentials.getUsername().getBytes(StandardCharsets.UTF_8));
        final boolean passwordMatches = MessageDigest.isEqual(expectedHash, hash(credentials.getPassword()));
        if (!userMatches || !passwordMatches) {
            throw new InvalidLoginCredentialsException("Username or password is not valid");
        }
        return new AuthenticationResponse(username, username, expirationMillis, identifier);
    }

    @Override
    public void preDestruction() {
    }

    private byte[] hash(final String password) {
        try {
            final PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, expectedHash.length * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

    private static String required(final LoginIdentityProviderConfigurationContext context, final String name) {
        final String value = context.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new ProviderCreationException("Property [" + name + "] is required");
        }
        return value.trim();
    }
}
