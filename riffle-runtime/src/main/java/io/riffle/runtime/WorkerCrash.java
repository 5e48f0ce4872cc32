package io.riffle.runtime;

/** Why a worker process stopped serving a batch: the event it was working on did not get an outcome. */
public record WorkerCrash(Reason reason, String detail) {
    public enum Reason {
        /** The event took longer than the per-event timeout; the process was killed. */
        TIMEOUT,
        /** The process exited (os._exit, a signal, the memory limit). */
        EXITED,
        /** The process wrote something that is not the protocol. */
        PROTOCOL_ERROR
    }
}
