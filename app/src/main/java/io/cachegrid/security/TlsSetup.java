package io.cachegrid.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Optional;

import io.cachegrid.config.ConfigurationException;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;

/**
 * The server's TLS from Helidon's own TLS configuration: a PEM certificate chain and private key
 * ({@code CACHEGRID_TLS_CERT}, {@code CACHEGRID_TLS_KEY}) or a PKCS#12 keystore ({@code CACHEGRID_TLS_KEYSTORE},
 * {@code CACHEGRID_TLS_KEYSTORE_PASSWORD}). The keys are read at start, so a wrong file or password stops the start
 * with one line naming the variable instead of failing the first handshake.
 */
final class TlsSetup {

    private TlsSetup() {
    }

    /** Empty when none of the variables is set. */
    static Optional<Tls> load(String cert, String key, String keystore, String keystorePassword) {
        boolean pem = !cert.isEmpty() || !key.isEmpty();
        if (pem && !keystore.isEmpty()) {
            throw new ConfigurationException("CACHEGRID_TLS_KEYSTORE and CACHEGRID_TLS_CERT/CACHEGRID_TLS_KEY are "
                    + "both set; accepted: a PEM certificate and key, or a PKCS#12 keystore, not both");
        }
        if (pem && (cert.isEmpty() || key.isEmpty())) {
            throw new ConfigurationException((cert.isEmpty() ? "CACHEGRID_TLS_KEY" : "CACHEGRID_TLS_CERT")
                    + " is set alone; accepted: both CACHEGRID_TLS_CERT (PEM certificate chain) and"
                    + " CACHEGRID_TLS_KEY (PEM private key), or neither");
        }
        if (!pem && keystore.isEmpty()) {
            return Optional.empty();
        }
        Keys keys;
        String variable = pem ? "CACHEGRID_TLS_CERT/CACHEGRID_TLS_KEY" : "CACHEGRID_TLS_KEYSTORE";
        try {
            if (pem) {
                Resource chain = Resource.create(readable("CACHEGRID_TLS_CERT", cert));
                Resource privateKey = Resource.create(readable("CACHEGRID_TLS_KEY", key));
                keys = Keys.builder().pem(p -> p.certChain(chain).key(privateKey)).build();
            } else {
                Path file = readable("CACHEGRID_TLS_KEYSTORE", keystore);
                String alias = keyAlias(file, keystorePassword);
                Resource store = Resource.create(file);
                keys = Keys.builder().keystore(k -> k.keystore(store).type("PKCS12").keyAlias(alias)
                        .certChainAlias(alias).passphrase(keystorePassword.toCharArray())).build();
            }
            if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
                throw new ConfigurationException(variable + " holds no private key with its certificate; accepted: "
                        + (pem ? "a PEM certificate chain and its PEM (PKCS#8 or PKCS#1) private key"
                        : "a PKCS#12 keystore with one private key entry"));
            }
            return Optional.of(Tls.builder().privateKey(keys).privateKeyCertChain(keys).build());
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException(variable + " cannot be read (" + e.getClass().getSimpleName()
                    + (pem ? "" : "; is CACHEGRID_TLS_KEYSTORE_PASSWORD right?") + "); accepted: "
                    + (pem ? "a PEM certificate chain and its unencrypted PEM private key"
                    : "a PKCS#12 keystore and its password"));
        }
    }

    /**
     * The alias of the keystore's first private key entry: Helidon looks for alias "1" (what {@code openssl pkcs12}
     * writes) unless told, while keytool names entries as asked.
     */
    private static String keyAlias(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return alias;
                }
            }
            return "1";
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("unreadable keystore", e);
        }
    }

    private static Path readable(String variable, String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigurationException(variable + "=" + file + " is not a readable file; accepted: the path"
                    + " of a " + (variable.endsWith("KEYSTORE") ? "PKCS#12 keystore" : "PEM file"));
        }
        return path;
    }
}
