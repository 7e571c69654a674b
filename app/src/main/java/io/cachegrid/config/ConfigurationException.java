package io.cachegrid.config;

/**
 * A setting has a value we cannot run with. The message is one line that names the variable, the value and
 * what is accepted, because it is what an operator sees when the server refuses to start.
 */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }
}
