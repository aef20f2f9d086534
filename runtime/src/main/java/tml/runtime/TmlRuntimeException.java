package tml.runtime;

/**
 * A failure of the runtime that a user can act on: a tensor of the wrong shape, a missing input, a
 * corrupt weights file. The message is user-facing and names what is wrong (and the file, if any).
 */
public class TmlRuntimeException extends RuntimeException {
    public TmlRuntimeException(String message) { super(message); }

    public TmlRuntimeException(String message, Throwable cause) { super(message, cause); }
}
