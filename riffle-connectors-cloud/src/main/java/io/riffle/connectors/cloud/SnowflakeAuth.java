package io.riffle.connectors.cloud;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * How the {@code snowflake_cdc_json} sink authenticates to the SQL API: {@code db_pass} holding a PKCS#8 private key
 * means key-pair authentication (a JWT signed by the JDK, renewed every 50 minutes); any other {@code db_pass} is
 * sent as a programmatic access token. Snowflake's SQL API takes no plain passwords.
 */
final class SnowflakeAuth {
    private final String secret;
    private final PrivateKey key;
    private final String qualifiedUser;
    private final String fingerprint;
    private final Clock clock;
    private String jwt;
    private Instant renewAt = Instant.EPOCH;

    SnowflakeAuth(String account, String user, String secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
        if (RsaJwt.isPem(secret)) {
            this.key = RsaJwt.privateKey(secret);
            this.fingerprint = RsaJwt.publicKeyFingerprint(key);
        } else {
            this.key = null;
            this.fingerprint = null;
        }
        var accountId = account.toUpperCase(Locale.ROOT);
        int dot = accountId.indexOf('.');
        this.qualifiedUser = (dot < 0 ? accountId : accountId.substring(0, dot)) + "." + user.toUpperCase(Locale.ROOT);
    }

    boolean keyPair() {
        return key != null;
    }

    /** The authentication headers of one request. */
    Map<String, String> headers() {
        if (key == null) {
            return Map.of("Authorization", "Bearer " + secret,
                "X-Snowflake-Authorization-Token-Type", "PROGRAMMATIC_ACCESS_TOKEN");
        }
        var now = clock.instant();
        if (jwt == null || !now.isBefore(renewAt)) {
            var claims = Payloads.JSON.createObjectNode().put("iss", qualifiedUser + "." + fingerprint)
                .put("sub", qualifiedUser).put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 3600);
            jwt = RsaJwt.sign(claims, key);
            renewAt = now.plusSeconds(50 * 60);
        }
        return Map.of("Authorization", "Bearer " + jwt, "X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT");
    }
}
