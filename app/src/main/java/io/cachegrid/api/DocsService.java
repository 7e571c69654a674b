package io.cachegrid.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /docs}: the interactive API page (Swagger UI from its WebJar, served by us, so it works offline)
 * over the OpenAPI document at {@code /openapi}.
 */
public final class DocsService implements HttpService {

    private final byte[] page;

    public DocsService() {
        try (InputStream in = DocsService.class.getResourceAsStream("/docs/index.html")) {
            if (in == null) {
                throw new IllegalStateException("docs/index.html missing from the class path");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page);
    }

    private void page(ServerRequest req, ServerResponse res) {
        res.headers().contentType(MediaTypes.TEXT_HTML);
        res.send(page);
    }
}
