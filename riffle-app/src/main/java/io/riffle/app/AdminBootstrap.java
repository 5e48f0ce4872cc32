package io.riffle.app;

import io.riffle.core.Tokens;
import io.riffle.store.Database;
import java.nio.file.Path;

/** On the first start, creates the admin and writes a ready-to-use personal access token to a 0600 file. */
final class AdminBootstrap {
    static final String ADMIN_EMAIL = "admin@localhost";

    private AdminBootstrap() {
    }

    /** Returns the token file when it was written now, or null when users existed already. */
    static Path ensureAdmin(Database db, Path dataDir) {
        if (db.users().countUsers() > 0) {
            return null;
        }
        var admin = db.users().createUser(ADMIN_EMAIL, "Administrator", true, null);
        var token = Tokens.newSecret(Tokens.PERSONAL_PREFIX);
        db.users().createPersonalToken(admin.id(), "admin (created at first start)", Tokens.hash(token), null);
        var file = dataDir.resolve("admin.token");
        Secrets.writePrivate(file, token + "\n");
        return file;
    }
}
