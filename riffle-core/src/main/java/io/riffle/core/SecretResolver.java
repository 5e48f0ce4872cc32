package io.riffle.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks up the plaintext of stored secrets when a worker starts. Implementations are thread-safe.
 */
@FunctionalInterface
public interface SecretResolver {
    /**
     * The plaintext value of the secret {@code key}.
     *
     * @throws NotFoundException when there is no such secret
     * @throws RiffleException   when it cannot be decrypted (wrong master key)
     */
    String value(String key);

    /** The worker environment of {@code environments}: plain values as they are, secret references resolved. */
    default Map<String, String> environment(List<EnvVar> environments) {
        var env = new HashMap<String, String>();
        for (var e : environments) {
            env.put(e.name(), e.isSecret() ? value(e.secretKey()) : e.value());
        }
        return env;
    }
}
