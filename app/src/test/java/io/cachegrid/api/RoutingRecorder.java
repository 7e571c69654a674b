package io.cachegrid.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.cachegrid.CacheGridServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * The routes a node's routing declares, as "METHOD path-template", read by running the production routing method of
 * {@link CacheGridServer} against a recording {@link HttpRouting.Builder}: every {@code register(path, service)}
 * descends into the service's own {@code routing(HttpRules)}, every {@code get/put/post/delete/patch(path, …)} is
 * one route. {@code any(…)} handlers are the 405 answers for the other methods and are not routes of their own;
 * filters and error handlers are skipped. A trailing {@code *} (the rest of the path, URL-encoded key) and a
 * {@code {+name}} pattern (a key or tag spanning slashes, as in {@code /cache/{+key}/incr}) are written
 * {@code {key}} and {@code {name}}, as
 * the OpenAPI document names it. Routes that Helidon features add themselves (observe, OpenAPI,
 * static content) do not pass through this method.
 */
final class RoutingRecorder {

    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch");

    private final Set<String> routes = new TreeSet<>();

    private RoutingRecorder() {
    }

    /**
     * Calls the node's routing method (the one instance method of {@link CacheGridServer} taking an
     * {@link HttpRouting.Builder}; its other parameters are filled by type from {@code arguments}).
     */
    static Set<String> routesOf(CacheGridServer server, Map<Class<?>, Object> arguments) {
        List<Method> candidates = new ArrayList<>();
        for (Method method : CacheGridServer.class.getDeclaredMethods()) {
            if (!method.isSynthetic() && method.getParameterCount() > 0
                    && method.getParameterTypes()[0] == HttpRouting.Builder.class) {
                candidates.add(method);
            }
        }
        if (candidates.size() != 1) {
            throw new AssertionError("expected one routing method in CacheGridServer taking HttpRouting.Builder, found "
                    + candidates);
        }
        Method routing = candidates.getFirst();
        Object[] args = new Object[routing.getParameterCount()];
        RoutingRecorder recorder = new RoutingRecorder();
        args[0] = recorder.rules("");
        for (int i = 1; i < args.length; i++) {
            Class<?> type = routing.getParameterTypes()[i];
            args[i] = arguments.get(type);
            if (args[i] == null) {
                throw new AssertionError("no test value for parameter " + type.getName() + " of " + routing);
            }
        }
        try {
            routing.setAccessible(true);
            routing.invoke(server, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError("routing method failed on the recorder", e.getCause());
        }
        return recorder.routes;
    }

    /** A builder (and rules) under {@code prefix} that records routes and returns itself for chaining. */
    private HttpRouting.Builder rules(String prefix) {
        return (HttpRouting.Builder) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpRouting.Builder.class}, (proxy, method, args) -> {
                    Object[] a = args == null ? new Object[0] : args;
                    String name = method.getName();
                    if (VERBS.contains(name)) {
                        add(name, prefix, a.length > 0 && a[0] instanceof String path ? path : "");
                    } else if (name.equals("route") && a.length == 3 && a[0] instanceof io.helidon.http.Method m
                            && a[1] instanceof String path) {
                        add(m.text(), prefix, path);
                    } else if (name.equals("route")) {
                        throw new AssertionError("a route the recorder cannot read: " + method);
                    } else if (name.equals("register")) {
                        String path = a.length > 0 && a[0] instanceof String p ? p : "";
                        for (Object service : a) {
                            descend(join(prefix, path), service);
                        }
                    } else if (name.equals("build")) {
                        return null;
                    } else if (method.getDeclaringClass() == Object.class) {
                        return switch (name) {
                            case "equals" -> proxy == a[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "RoutingRecorder(" + prefix + ")";
                        };
                    }
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
                });
    }

    private void descend(String prefix, Object service) {
        if (service instanceof HttpService s) {
            s.routing((HttpRules) rules(prefix));
        } else if (service instanceof HttpService[] services) {
            for (HttpService s : services) {
                s.routing((HttpRules) rules(prefix));
            }
        } else if (service instanceof Supplier<?> supplier) {
            descend(prefix, supplier.get());
        } else if (service instanceof List<?> list) {
            list.forEach(item -> descend(prefix, item));
        }
    }

    private void add(String method, String prefix, String path) {
        String template = join(prefix, path).replaceAll("/\\*$", "/{key}").replaceAll("\\{\\+(\\w+)}", "{$1}");
        routes.add(method.toUpperCase() + " " + template);
    }

    private static String join(String prefix, String path) {
        String joined = (prefix + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
