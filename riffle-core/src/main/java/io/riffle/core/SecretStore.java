package io.riffle.core;

import java.util.List;

/**
 * Secrets of the installation (GlassFlow's organization scope), sealed at rest with the {@link SecretBox}.
 * Values leave the store only through {@link #value(String)}, for workers. Thread-safe.
 */
public interface SecretStore extends SecretResolver {
    /** Every secret, by key. */
    List<Secret> list();

    /**
     * Creates the secret or replaces its value.
     *
     * @return true when it was created, false when replaced
     */
    boolean put(String key, String value);

    /** @throws NotFoundException when there is no such secret */
    void delete(String key);
}
