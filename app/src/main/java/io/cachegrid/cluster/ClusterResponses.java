package io.cachegrid.cluster;

import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Why: routed answers leave either as a peer sent them (status, type, body unchanged) or as our own JSON. */
final class ClusterResponses {

    private ClusterResponses() {
    }

    static void relay(ServerResponse res, PeerResponse answer) {
        res.status(Status.create(answer.status()));
        answer.passedBack().forEach(res::header);
        if (!answer.contentType().isEmpty()) {
            res.header(HeaderNames.CONTENT_TYPE, answer.contentType());
        }
        res.send(answer.body());
    }

    static void json(ServerResponse res, Status status, JsonWriter body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body.toByteArray());
    }

    /** 503 in the service's error shape: none of the members that could answer was reachable. */
    static void unavailable(ServerResponse res, String detail) {
        json(res, Status.SERVICE_UNAVAILABLE_503, new JsonWriter().beginObject().name("error")
                .value("cluster unavailable").name("detail").value(detail).endObject());
    }

    static double timestamp() {
        return System.currentTimeMillis() / 1000.0;
    }
}
