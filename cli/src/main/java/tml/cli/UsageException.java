package tml.cli;

/** A bad command line: reported as one line, exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) { super(message, null, false, false); }
}
