package io.cachegrid.api;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.KeyPage;
import io.cachegrid.json.JsonWriter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Tags as a resource: {@code GET /tags/{tag}} lists the live keys carrying a tag, a page at a time, and
 * {@code DELETE /tags/{tag}} removes every one of them (tag invalidation). The tag is read from the raw path like a
 * key, so any tag works percent-encoded. Listing counts no hits or misses.
 */
public final class TagService implements HttpService {

    private static final String TAG_PREFIX = "/tags/";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final CacheEngine engine;
    private final RequestReader reader;
    private final Tags tags;

    public TagService(CacheEngine engine, ApiLimits limits) {
        this.engine = engine;
        this.reader = new RequestReader(limits);
        this.tags = new Tags(limits);
    }

    @Override
    public void routing(HttpRules rules) {
        // "{+tag}" spans slashes; the tag itself is read from the raw path, as keys are
        rules.get("/{+tag}", this::list)
                .delete("/{+tag}", this::invalidate)
                .any("/{+tag}", MethodNotAllowed.allow("GET, DELETE"));
    }

    private String tag(ServerRequest req) {
        return tag(RequestReader.rawPath(req), reader, tags);
    }

    /**
     * The tag of a {@code /tags/{tag}} raw path, decoded and checked as the service does (its 400 otherwise): in a
     * cluster the router checks it so, once, before it asks the members.
     */
    public static String tag(String rawPath, ApiLimits limits) {
        return tag(rawPath, new RequestReader(limits), new Tags(limits));
    }

    private static String tag(String raw, RequestReader reader, Tags tags) {
        return tags.checkTag(reader.decodePathPart(raw.length() > TAG_PREFIX.length()
                ? raw.substring(TAG_PREFIX.length()) : "", "tag"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        String tag = tag(req);
        int offset = reader.intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = reader.intParam(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Json.send(res, keyPage(engine, tag, offset, limit));
    }

    /**
     * This node's answer to {@code GET /tags/{tag}?offset&limit} (tag checked, offset and limit within bounds). The
     * service sends it; in a cluster the router merges it, as this node's own pages, with the other members'.
     */
    public static JsonWriter keyPage(CacheEngine engine, String tag, int offset, int limit) {
        KeyPage page = engine.keysWithTag(tag, offset, limit);
        JsonWriter out = new JsonWriter(256 + 32 * page.keys().size()).beginObject().name("tag").value(tag)
                .name("keys").beginArray();
        page.keys().forEach(out::value);
        return out.endArray().name("total").value(page.totalFound()).name("offset").value(offset)
                .name("returned").value(page.keys().size()).name("timestamp").value(Json.timestamp()).endObject();
    }

    private void invalidate(ServerRequest req, ServerResponse res) {
        String tag = tag(req);
        // in a cluster the member that received the invalidation chose one version and sent it to all members
        // (with the member header): each removes the entries older than it and leaves tombstones at it
        java.util.OptionalLong version = CacheService.replicaVersion(req);
        if (version.isPresent() && version.getAsLong() == 0) {
            throw ApiException.badRequest("invalid " + CacheService.REPLICA_VERSION_HEADER, "a version is never 0");
        }
        long removed = version.isPresent() ? engine.invalidateTag(tag, version.getAsLong())
                : engine.invalidateTag(tag);
        Json.send(res, invalidated(tag, removed));
    }

    /**
     * The answer to {@code DELETE /tags/{tag}} once {@code removed} entries are gone (in a cluster the router
     * removes this node's own at the invalidation's version, {@code engine.invalidateTag(tag, version)}, and
     * answers its part with this).
     */
    public static JsonWriter invalidated(String tag, long removed) {
        return new JsonWriter().beginObject().name("success").value(true).name("tag").value(tag)
                .name("items_removed").value(removed).name("timestamp").value(Json.timestamp()).endObject();
    }
}
