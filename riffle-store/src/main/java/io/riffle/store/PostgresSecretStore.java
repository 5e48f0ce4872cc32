package io.riffle.store;

import io.riffle.core.NotFoundException;
import io.riffle.core.RiffleException;
import io.riffle.core.Secret;
import io.riffle.core.SecretBox;
import io.riffle.core.SecretStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** {@link SecretStore} over {@code secrets}: values sealed with the {@link SecretBox}, never logged. */
final class PostgresSecretStore implements SecretStore {
    static final String SENTINEL_NAME = "master_key_check";
    static final String SENTINEL_PLAINTEXT = "riffle master key check";

    private final Jdbc jdbc;
    private final SecretBox box;
    private final Clock clock;

    PostgresSecretStore(Jdbc jdbc, SecretBox box, Clock clock) {
        this.jdbc = jdbc;
        this.box = box;
        this.clock = clock;
    }

    @Override
    public List<Secret> list() {
        return jdbc.query("SELECT key, created_at, updated_at FROM secrets ORDER BY key",
            rs -> new Secret(rs.getString(1), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at")));
    }

    @Override
    public boolean put(String key, String value) {
        Secret.requireKey(key);
        Objects.requireNonNull(value, "value");
        var now = clock.instant();
        // xmax = 0 only for a freshly inserted row: tells created from replaced in one statement.
        return jdbc.queryOne("INSERT INTO secrets (key, value_enc, created_at, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value_enc = EXCLUDED.value_enc, updated_at = EXCLUDED.updated_at"
                + " RETURNING (xmax = 0) AS inserted", rs -> rs.getBoolean(1), key, box.encrypt(value), now, now)
            .orElse(false);
    }

    @Override
    public void delete(String key) {
        if (jdbc.update("DELETE FROM secrets WHERE key = ?", key) == 0) {
            throw new NotFoundException("secret '" + key + "' was not found");
        }
    }

    @Override
    public String value(String key) {
        var sealed = jdbc.queryOne("SELECT value_enc FROM secrets WHERE key = ?", rs -> rs.getString(1), key)
            .orElseThrow(() -> new NotFoundException("secret '" + key + "' was not found"));
        return box.decrypt(sealed);
    }

    /**
     * Writes the sentinel on the first start, else decrypts it.
     *
     * @throws RiffleException naming the master key settings when it was sealed under another key
     */
    void checkMasterKey() {
        var sealed = jdbc.queryOne("SELECT value FROM installation WHERE name = ?", rs -> rs.getString(1),
            SENTINEL_NAME);
        if (sealed.isEmpty()) {
            jdbc.update("INSERT INTO installation (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                SENTINEL_NAME, box.encrypt(SENTINEL_PLAINTEXT));
            return;
        }
        String plain;
        try {
            plain = box.decrypt(sealed.get());
        } catch (RiffleException e) {
            throw new RiffleException("the master key (RIFFLE_MASTER_KEY, or master.key in the data dir) is not the "
                + "key this database was set up with: stored secrets and pipeline tokens cannot be read. Start with "
                + "the original key.", e);
        }
        if (!SENTINEL_PLAINTEXT.equals(plain)) {
            throw new RiffleException("the master key check in table 'installation' is corrupt");
        }
    }
}
