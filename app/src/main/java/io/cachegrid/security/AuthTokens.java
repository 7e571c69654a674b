package io.cachegrid.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.cachegrid.config.ConfigurationException;

/**
 * The bearer tokens a node accepts and the role of each ({@code CACHEGRID_AUTH_TOKENS}, {@code CACHEGRID_AUTH_TOKEN}).
 * <p>
 * Only SHA-256 digests of the tokens are kept. A presented token is digested and compared with every known digest
 * by {@link MessageDigest#isEqual}, which takes the same time wherever two digests differ, and the loop never stops
 * early: the answer time tells nothing about how much of a token was right, nor about its length (every digest is
 * 32 bytes). Tokens never appear in a log line, an error detail or a {@link #toString()}.
 */
public final class AuthTokens {

    /** RFC 6750 b64token characters, so a token travels in a header unchanged. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    /** Shortest token accepted: 16 characters keep guessing out of reach even before the rate limit. */
    static final int MIN_TOKEN_LENGTH = 16;

    private static final AuthTokens NONE = new AuthTokens(List.of(), Optional.empty());

    private final List<Entry> entries;
    /** The first admin token: what this node presents to its cluster peers (they share the token list). */
    private final Optional<String> peerToken;

    private AuthTokens(List<Entry> entries, Optional<String> peerToken) {
        this.entries = List.copyOf(entries);
        this.peerToken = peerToken;
    }

    /** No tokens: authentication is off. */
    public static AuthTokens none() {
        return NONE;
    }

    /**
     * Parses the settings. Refusals name the variable and what is wrong, never the value (it holds secrets).
     *
     * @param pairs     {@code CACHEGRID_AUTH_TOKENS}: comma-separated {@code role:token}; empty for none
     * @param adminOnly {@code CACHEGRID_AUTH_TOKEN}: one admin token; empty for none
     */
    public static AuthTokens parse(String pairs, String adminOnly) {
        List<Entry> entries = new ArrayList<>();
        String firstAdmin = null;
        int position = 0;
        for (String item : pairs.split(",")) {
            String pair = item.strip();
            if (pair.isEmpty()) {
                continue;
            }
            position++;
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw refused("CACHEGRID_AUTH_TOKENS", "entry " + position + " is not role:token");
            }
            Role role;
            try {
                role = Role.parse(pair.substring(0, colon).strip());
            } catch (IllegalArgumentException e) {
                throw refused("CACHEGRID_AUTH_TOKENS", "entry " + position + " has an unknown role");
            }
            String token = pair.substring(colon + 1).strip();
            entries.add(entry("CACHEGRID_AUTH_TOKENS", "entry " + position, role, token));
            if (role == Role.ADMIN && firstAdmin == null) {
                firstAdmin = token;
            }
        }
        if (!adminOnly.isBlank()) {
            entries.add(entry("CACHEGRID_AUTH_TOKEN", "the token", Role.ADMIN, adminOnly.strip()));
            if (firstAdmin == null) {
                firstAdmin = adminOnly.strip();
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                if (MessageDigest.isEqual(entries.get(i).digest, entries.get(j).digest)) {
                    throw refused("CACHEGRID_AUTH_TOKENS", "the same token is listed twice");
                }
            }
        }
        return entries.isEmpty() ? NONE : new AuthTokens(entries, Optional.ofNullable(firstAdmin));
    }

    /** True when at least one token is configured, i.e. routes need one. */
    public boolean enabled() {
        return !entries.isEmpty();
    }

    /** The role of a presented token, or empty when it is not one of ours. Constant time in the token's content. */
    Optional<Role> roleOf(String presented) {
        byte[] digest = sha256(presented);
        Role found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest, digest) && found == null) {
                found = entry.role;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The {@code Authorization} value this node sends to cluster peers: {@code Bearer <first admin token>}, or empty
     * when authentication is off (or no admin token exists; clustering then refuses to start).
     */
    public Optional<String> peerAuthorization() {
        return peerToken.map(token -> "Bearer " + token);
    }

    /** Roles configured, by count; for the start-up log line. */
    public String describe() {
        long read = entries.stream().filter(e -> e.role == Role.READ).count();
        long write = entries.stream().filter(e -> e.role == Role.WRITE).count();
        long admin = entries.stream().filter(e -> e.role == Role.ADMIN).count();
        return read + " read, " + write + " write, " + admin + " admin token(s)";
    }

    @Override
    public String toString() {
        return "AuthTokens[" + describe() + "]";
    }

    private static Entry entry(String variable, String where, Role role, String token) {
        if (token.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
            throw refused(variable, where + " is not a token of at least " + MIN_TOKEN_LENGTH
                    + " characters from A-Z a-z 0-9 - . _ ~ + / (e.g. from: openssl rand -hex 32)");
        }
        return new Entry(role, sha256(token));
    }

    private static ConfigurationException refused(String variable, String what) {
        String accepted = variable.equals("CACHEGRID_AUTH_TOKEN") ? "one admin token"
                : "comma-separated role:token pairs, roles read, write, admin";
        return new ConfigurationException("Invalid " + variable + " (value not shown): " + what + "; accepted: "
                + accepted);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private record Entry(Role role, byte[] digest) {
    }
}
