package io.riffle.client;

/**
 * A call to the Riffle server failed: the server answered with an error status, or it could not be reached
 * ({@link #statusCode()} 0). The message is the server's {@code detail} when it sent one.
 */
public class RiffleClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int statusCode;

    public RiffleClientException(int statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    public RiffleClientException(String message, Throwable cause) {
        super(message, cause);
        this.statusCode = 0;
    }

    /** The HTTP status code, or 0 when no answer arrived (connection refused, timeout). */
    public int statusCode() {
        return statusCode;
    }

    /** 404: the resource does not exist, or the caller may not see it. */
    public static final class NotFound extends RiffleClientException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(404, message);
        }
    }

    /** 401: the token is missing, unknown, revoked or expired. */
    public static final class Unauthorized extends RiffleClientException {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String message) {
            super(401, message);
        }
    }

    /** 425: the function is still being built; try again when the build is done. */
    public static final class TooEarly extends RiffleClientException {
        private static final long serialVersionUID = 1L;

        public TooEarly(String message) {
            super(425, message);
        }
    }

    /** 429: the server pushes back (a full input stream); retry after {@link #retryAfterSeconds()}. */
    public static final class TooManyRequests extends RiffleClientException {
        private static final long serialVersionUID = 1L;
        private final int retryAfterSeconds;

        public TooManyRequests(String message, int retryAfterSeconds) {
            super(429, message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
