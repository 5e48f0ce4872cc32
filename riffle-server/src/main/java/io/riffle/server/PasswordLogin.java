package io.riffle.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Passwords;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.User;
import io.riffle.store.Database;
import java.util.Locale;

/**
 * Checks an email and password, for both password logins (a personal access token, or a browser session). Every
 * failure answers the same 401, whether the email exists or not; {@link LoginGuard} answers 429 after repeated
 * failures for an email. Thread-safe.
 */
final class PasswordLogin {
    private final Database db;
    private final LoginGuard guard;

    PasswordLogin(Database db, LoginGuard guard) {
        this.db = db;
        this.guard = guard;
    }

    /** The user whose {@code email} and {@code password} fields in {@code body} match. */
    User verify(JsonNode body) {
        var emailText = body.path("email").asText(null);
        var password = body.path("password").asText(null);
        if (emailText == null || password == null) {
            throw new InvalidInputException("email and password are required");
        }
        var email = emailText.trim().toLowerCase(Locale.ROOT);
        guard.check(email);
        var stored = db.users().passwordHash(email);
        boolean ok = Passwords.verify(password, stored.orElse(null));
        var user = ok ? db.users().findByEmail(email).orElse(null) : null;
        if (user == null) {
            guard.failed(email);
            throw new UnauthorizedException("wrong email or password");
        }
        guard.succeeded(email);
        return user;
    }
}
