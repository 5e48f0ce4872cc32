package io.riffle.broker;

/** Message header names Riffle writes. */
final class Headers {
    static final String REQUEST_ID = "Riffle-Request-Id";
    static final String RECEIVE_TIME = "Riffle-Receive-Time";
    static final String EXTERNAL_ID = "Riffle-External-Id";
    static final String SOURCE_SEQ = "Riffle-Source-Seq";

    private Headers() {
    }
}
