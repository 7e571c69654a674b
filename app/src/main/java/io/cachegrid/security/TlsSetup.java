package io.cachegrid.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
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
 * <p>
 * The same keys give the TLS of node-to-node calls ({@link Loaded#peers()}): a cluster's members are deployed with
 * the same certificate (one Kubernetes Secret), so a member trusts exactly that certificate, the first of its own
 * chain, and no CA at all: only a holder of the cluster's private key can answer a peer call. Members with different
 * certificates name the CA that signed them in {@code CACHEGRID_TLS_TRUST} (a PEM bundle; the CA should be the
 * cluster's own, e.g. a cert-manager issuer for this cluster, since any certificate it signed is taken as a member).
 * Peer calls do not check the host name: members reach each other by pod IP (DNS discovery), which changes with
 * every restart and cannot be in a certificate made once; the pinned certificate or cluster CA is the check instead.
 */
final class TlsSetup {

    /**
     * @param server the listener's TLS, empty for plain HTTP
     * @param peers  the TLS of calls to cluster peers (trust as above), present exactly when {@code server} is
     */
    record Loaded(Optional<Tls> server, Optional<Tls> peers) {
        static final Loaded NONE = new Loaded(Optional.empty(), Optional.empty());
    }

    private TlsSetup() {
    }

    /**
     * The listener's and the peer calls' TLS; both empty when none of the variables is set.
     *
     * @param trust {@code CACHEGRID_TLS_TRUST}: empty, or a PEM file of CA certificates peers may be signed by
     */
    static Loaded load(String cert, String key, String keystore, String keystorePassword, String trust) {
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
            if (!trust.isEmpty()) {
                throw new ConfigurationException("CACHEGRID_TLS_TRUST is set without TLS; accepted: with"
                        + " CACHEGRID_TLS_CERT/CACHEGRID_TLS_KEY or CACHEGRID_TLS_KEYSTORE, or unset");
            }
            return Loaded.NONE;
        }
        List<X509Certificate> cas = trust.isEmpty() ? List.of() : bundle(trust);
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
            List<X509Certificate> anchors = new ArrayList<>();
            anchors.add(keys.certChain().getFirst());
            anchors.addAll(cas);
            Tls peers = Tls.builder().trust(anchors)
                    .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE).build();
            return new Loaded(Optional.of(Tls.builder().privateKey(keys).privateKeyCertChain(keys).build()),
                    Optional.of(peers));
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

    /** The certificates of a PEM bundle; at least one. */
    private static List<X509Certificate> bundle(String file) {
        Path path = readable("CACHEGRID_TLS_TRUST", file);
        try (InputStream in = Files.newInputStream(path)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : read) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new ConfigurationException("CACHEGRID_TLS_TRUST=" + file + " holds no certificate; accepted:"
                        + " a PEM file of one or more CA certificates");
            }
            return List.copyOf(certificates);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof ConfigurationException c) {
                throw c;
            }
            throw new ConfigurationException("CACHEGRID_TLS_TRUST=" + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "); accepted: a PEM file of one or more CA certificates");
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
