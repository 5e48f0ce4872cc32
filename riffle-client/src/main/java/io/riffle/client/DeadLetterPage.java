package io.riffle.client;

import java.util.List;

/**
 * One page of dead letters, oldest first.
 *
 * @param nextAfter the {@code after} that continues after this page: the last {@link DeadLetter#sequence()}, or null
 *                  when the page is empty
 */
public record DeadLetterPage(List<DeadLetter> deadLetters, int count, Long nextAfter) {
    public DeadLetterPage {
        deadLetters = deadLetters == null ? List.of() : List.copyOf(deadLetters);
    }
}
