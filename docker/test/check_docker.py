#!/usr/bin/env python3
"""Offline checks of CacheGrid's Dockerfile, .dockerignore and compose files. Run by scripts/test-deploy.sh:

    python3 docker/test/check_docker.py <repo-root>

Prints one "PASS <check>" or "FAIL <check>: <why>" line per check and exits 1 when any check failed.
No Docker engine is needed (none exists on our build machines): the Dockerfile is parsed and held to our rules
(hadolint is not packaged for Debian and has no npm build; docker/test/lint-dockerfile.js adds a syntax linter),
the compose files are parsed with PyYAML.
"""
import fnmatch
import json
import os
import re
import shlex
import sys

import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
DOCKERFILE = os.path.join(ROOT, "docker", "Dockerfile")
ENV_NAMES_FILE = os.path.join(ROOT, "k8s", "test", "app-env-names.txt")
COMPOSE_FILES = ["docker-compose.yml", "docker/docker-compose.yml", "docker-compose.prod.yml"]
DEV_COMPOSE_FILES = COMPOSE_FILES[:2]
SERVER_PORT = 8080
# Heap share of the container's memory (-XX:MaxRAMPercentage) and the cache's share of the heap (docs/deployment.md).
CACHE_SHARE_OF_HEAP = 2 / 3
# Compose service and top-level keys these files may use; anything else is a typo or needs a deliberate review.
SERVICE_KEYS = {"build", "image", "container_name", "restart", "ports", "environment", "mem_limit", "networks",
                "read_only", "tmpfs", "cap_drop", "security_opt", "pids_limit", "ulimits", "logging", "healthcheck",
                "env_file", "volumes"}
# Settings that hold secrets: they come from the env file (cachegrid.env), never from a compose file's environment.
SECRET_NAMES = {"CACHEGRID_AUTH_TOKENS", "CACHEGRID_AUTH_TOKEN", "CACHEGRID_TLS_KEYSTORE_PASSWORD",
                "CACHEGRID_CLUSTER_SECRET"}
CLUSTER_COMPOSE_FILE = "docker-compose.cluster.yml"
ENV_FILE = "cachegrid.env"
TOP_LEVEL_KEYS = {"services", "networks", "name", "volumes"}

failures = 0


def check(name, fn):
    """Runs one check; it passes unless fn returns a non-empty reason (str or list of str) or raises."""
    global failures
    try:
        problems = fn()
        if isinstance(problems, str):
            problems = [problems]
        problems = [p for p in (problems or []) if p]
    except Exception as e:  # a crash in a check is that check's failure, not the suite's
        problems = [f"{type(e).__name__}: {e}"]
    if problems:
        failures += 1
        print(f"FAIL {name}: {'; '.join(problems)}")
    else:
        print(f"PASS {name}")


def app_env_names():
    with open(ENV_NAMES_FILE, encoding="utf-8") as f:
        return {line.split("#")[0].strip() for line in f if line.split("#")[0].strip()}


# ------------------------------------------------------------------------------------------------ Dockerfile model
def parse_dockerfile(text):
    """Instructions as (KEYWORD, arguments) with continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if full:
            keyword, _, args = full.partition(" ")
            instructions.append((keyword.upper(), args.strip()))
    if pending.strip():
        raise ValueError("file ends inside a continued line")
    return instructions


def stages(instructions):
    """List of stages: {'image', 'name', 'body': [(KEYWORD, args)...]} in order."""
    result = []
    for keyword, args in instructions:
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--platform")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append({"image": words[0], "name": name, "body": []})
        elif result:
            result[-1]["body"].append((keyword, args))
        elif keyword != "ARG":
            raise ValueError(f"{keyword} before the first FROM")
    return result


def exec_form(args):
    """The list of a JSON (exec) form argument, or None for shell form."""
    try:
        value = json.loads(args)
    except ValueError:
        return None
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def env_pairs(args):
    """NAME=value pairs of an ENV instruction (also the legacy 'ENV NAME value' form)."""
    words = shlex.split(args)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(w.split("=", 1) for w in words)


def dockerfile_checks():
    with open(DOCKERFILE, encoding="utf-8") as f:
        text = f.read()
    ins = parse_dockerfile(text)
    st = stages(ins)
    final = st[-1]
    body = final["body"]
    names = app_env_names()

    def of(keyword, stage_body=body):
        return [a for k, a in stage_body if k == keyword]

    check("Dockerfile: multi-stage (a build stage and a separate runtime stage)",
          lambda: None if len(st) >= 2 and final["image"] not in [s["image"] for s in st[:-1]]
          else f"{len(st)} stage(s); runtime image {final['image']}")

    def pinned():
        problems = []
        for s in st:
            image = s["image"]
            if "@sha256:" in image:
                continue
            tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else None
            if tag is None or tag == "latest":
                problems.append(f"FROM {image} is not pinned to a tag")
            elif "25" not in tag:
                problems.append(f"FROM {image} is not a Java 25 image")
        return problems
    check("Dockerfile: every FROM has a fixed Java 25 tag (no latest)", pinned)

    def copy_from_refs():
        defined, problems = set(), []
        for s in st:
            for k, a in s["body"]:
                m = re.search(r"--from=(\S+)", a)
                if k == "COPY" and m and m.group(1) not in defined:
                    problems.append(f"COPY --from={m.group(1)} names no earlier stage")
            if s["name"]:
                defined.add(s["name"])
        return problems
    check("Dockerfile: COPY --from names an earlier stage", copy_from_refs)

    def layer_caching():
        build = next((s for s in st if any(k == "RUN" and "mvn" in a and "package" in a for k, a in s["body"])), None)
        if build is None:
            return "no stage runs mvn package"
        keys = [(k, a) for k, a in build["body"]]
        first_src = next((i for i, (k, a) in enumerate(keys) if k == "COPY" and re.fullmatch(r"\.\s+\.?/?", a)), None)
        dep = next((i for i, (k, a) in enumerate(keys) if k == "RUN" and "mvn" in a and "dependency:" in a), None)
        poms = next((i for i, (k, a) in enumerate(keys) if k == "COPY" and ("pom" in a or "--from=poms" in a)), None)
        if first_src is None or dep is None or poms is None:
            return "need COPY of the poms, RUN mvn dependency:..., then COPY . ."
        return None if poms < dep < first_src else "poms and dependency download must come before COPY . ."
    check("Dockerfile: poms copied and dependencies fetched before the sources (layer caching)", layer_caching)

    check("Dockerfile: builds with mvn -B -DskipTests package",
          lambda: None if any(k == "RUN" and "mvn -B -DskipTests package" in a for k, a in ins) else "not found")

    def non_root():
        users = of("USER")
        if not users:
            return "runtime stage has no USER"
        user = users[-1].split(":")[0]
        if user in ("0", "root"):
            return f"USER {users[-1]} is root"
        return None if user.isdigit() else f"USER {users[-1]} is not numeric (runAsNonRoot cannot verify a name)"
    check("Dockerfile: runtime runs as a numeric non-root USER", non_root)

    check("Dockerfile: EXPOSE 8080",
          lambda: None if any(str(SERVER_PORT) in a.split() for a in of("EXPOSE")) else f"EXPOSE {of('EXPOSE')}")

    def healthcheck():
        hcs = of("HEALTHCHECK")
        if len(hcs) != 1:
            return f"{len(hcs)} HEALTHCHECK instructions in the runtime stage"
        hc = hcs[0]
        if re.match(r"NONE\b", hc, re.I):
            return "HEALTHCHECK NONE"
        m = re.search(r"\bCMD\s+(.*)$", hc)
        cmd = exec_form(m.group(1)) if m else None
        if not cmd:
            return "HEALTHCHECK CMD is not in exec (JSON) form"
        problems = [f"uses {tool}, which the runtime image lacks" for tool in ("python", "curl", "wget")
                    if any(tool in word for word in cmd)]
        if "-cp" in cmd:
            classpath = cmd[cmd.index("-cp") + 1].rstrip("/")
            if not any(classpath in a for a in of("COPY")):
                problems.append(f"{classpath} is not copied into the runtime stage")
        return problems
    check("Dockerfile: HEALTHCHECK in exec form, without python/curl/wget, on files the image has", healthcheck)

    check("Dockerfile: JVM heap sized from container memory (MaxRAMPercentage)",
          lambda: None if any("MaxRAMPercentage=" in a for k, a in body if k in ("ENV", "ENTRYPOINT", "CMD"))
          else "no -XX:MaxRAMPercentage in the runtime stage")

    def entrypoint():
        eps = of("ENTRYPOINT")
        if not eps:
            return "no ENTRYPOINT"
        ep = exec_form(eps[-1])
        if not ep:
            return "ENTRYPOINT is not in exec (JSON) form"
        line = " ".join(ep)
        problems = []
        if ep[0] != "java" and "exec java" not in line:
            problems.append("java is not started with exec (it would not get SIGTERM)")
        jar = re.search(r"-jar\s+(\S+)", line)
        if not jar:
            return problems + ["no -jar"]
        jar_dir = os.path.dirname(jar.group(1))
        copies = of("COPY")
        if not any(a.endswith(jar.group(1)) and "app/target/cachegrid.jar" in a for a in copies):
            problems.append(f"{jar.group(1)} is not copied from app/target/cachegrid.jar")
        if not any("app/target/libs" in a and f"{jar_dir}/libs" in a for a in copies):
            problems.append(f"app/target/libs/ is not copied to {jar_dir}/libs/")
        return problems
    check("Dockerfile: ENTRYPOINT execs java -jar on the copied cachegrid.jar and its libs/", entrypoint)

    def env_names():
        problems = []
        for k, a in ins:
            if k != "ENV":
                continue
            for name in env_pairs(a):
                if name.startswith("CACHEGRID_") and name not in names:
                    problems.append(f"{name} is not read by the server")
                if name in ("CACHEGRID_PORT", "PORT"):
                    problems.append(f"{name} baked into the image would override a platform's PORT")
        return problems
    check("Dockerfile: ENV uses only CACHEGRID_* names the server reads, and no fixed port", env_names)

    def hygiene():
        problems = []
        for k, a in ins:
            if k == "ADD":
                problems.append("ADD (use COPY)")
            if k == "RUN" and re.search(r"\bsudo\b", a):
                problems.append("sudo in RUN")
            if k == "RUN" and "apt-get install" in a and "--no-install-recommends" not in a:
                problems.append("apt-get install without --no-install-recommends")
            if k == "MAINTAINER":
                problems.append("MAINTAINER is deprecated (use LABEL)")
        return problems
    check("Dockerfile: hygiene (no ADD, sudo, MAINTAINER; apt-get with --no-install-recommends)", hygiene)
    return ins


def dockerignore_checks():
    def rules():
        path = os.path.join(ROOT, ".dockerignore")
        with open(path, encoding="utf-8") as f:
            patterns = [l.strip() for l in f if l.strip() and not l.startswith("#")]

        def ignored(p):
            result = False
            for pat in patterns:
                negate = pat.startswith("!")
                pat = pat.lstrip("!").strip("/")
                plain = pat.replace("**/", "")
                if fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(p, plain) or p.startswith(plain + "/") \
                        or any(fnmatch.fnmatch(part, plain) for part in p.split("/")) and "/" not in plain:
                    result = not negate
            return result
        problems = [f"{p} is not ignored" for p in (".git", "app/target", "k8s/test/node_modules") if not ignored(p)]
        problems += [f"{p} is ignored but the build needs it" for p in
                     ("pom.xml", "app/pom.xml", "app/src/main/java", "client/pom.xml", "docker/Dockerfile",
                      "docker/healthcheck/HealthCheck.java") if ignored(p)]
        return problems
    check(".dockerignore: leaves out .git, target/ and node_modules/ but keeps the build's sources", rules)


# ------------------------------------------------------------------------------------------------ compose
def memory_bytes(value):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([bkmg]?)b?", str(value).strip().lower())
    if not m:
        raise ValueError(f"cannot read memory {value!r}")
    return float(m.group(1)) * {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30}[m.group(2)]


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict((item.split("=", 1) + [None])[:2] for item in env)
    return {k: (None if v is None else str(v)) for k, v in env.items()}


def compose_checks(ram_percentage):
    names = app_env_names()
    services = {}
    for rel in COMPOSE_FILES:
        path = os.path.join(ROOT, rel)
        holder = {}

        def parse():
            with open(path, encoding="utf-8") as f:
                holder["doc"] = doc = yaml.safe_load(f)
            problems = [f"unexpected top-level key {k}" for k in doc if k not in TOP_LEVEL_KEYS]
            svc = (doc.get("services") or {}).get("cachegrid")
            if svc is None:
                return problems + ["no service named cachegrid (the README runs: docker-compose logs cachegrid)"]
            problems += [f"unexpected service key {k}" for k in svc if k not in SERVICE_KEYS]
            services[rel] = svc
            return problems
        check(f"{rel}: parses; service cachegrid; known keys only", parse)
        svc = services.get(rel)
        if svc is None:
            continue
        doc = holder["doc"]
        env = environment(svc)

        def data_volume():
            # a data directory for persistence lives on a named volume declared in the file, at CACHEGRID_DATA_DIR
            problems = []
            declared = set((doc.get("volumes") or {}).keys())
            mounts = [str(v) for v in svc.get("volumes") or []]
            for mount in mounts:
                source = mount.split(":")[0]
                if not source.startswith((".", "/")) and source not in declared:
                    problems.append(f"volume {source} is not declared under the top-level volumes")
            if env.get("CACHEGRID_PERSISTENCE", "off") != "off":
                target = env.get("CACHEGRID_DATA_DIR")
                if not any(m.split(":")[1:2] == [target] for m in mounts):
                    problems.append(f"persistence is on but CACHEGRID_DATA_DIR={target} is not a mounted volume")
            return problems
        check(f"{rel}: persistence data on a declared named volume at CACHEGRID_DATA_DIR", data_volume)

        def container_and_network():
            problems = []
            want = "cachegrid-single" if rel in DEV_COMPOSE_FILES else None
            if want and svc.get("container_name") != want:
                problems.append(f"container_name {svc.get('container_name')} (README uses {want})")
            if not svc.get("container_name"):
                problems.append("no container_name")
            if "cachegrid-network" not in (svc.get("networks") or []):
                problems.append("service is not on cachegrid-network")
            net = (doc.get("networks") or {}).get("cachegrid-network") or {}
            if net.get("name") != "cachegrid-network":
                problems.append("network has no fixed name cachegrid-network (compose would prefix the project)")
            return problems
        check(f"{rel}: container_name and network cachegrid-network", container_and_network)

        def ports():
            mappings = svc.get("ports") or []
            if len(mappings) != 1 or not isinstance(mappings[0], str):
                return f"want one \"127.0.0.1:HOST:{SERVER_PORT}\" mapping, got {mappings}"
            parts = mappings[0].split(":")
            problems = []
            if len(parts) != 3 or parts[0] != "127.0.0.1":
                problems.append(f"{mappings[0]} is not bound to loopback 127.0.0.1")
            container_port = int(parts[-1].split("/")[0])
            app_port = int(env.get("CACHEGRID_PORT") or SERVER_PORT)
            if container_port != app_port:
                problems.append(f"container port {container_port} but the server listens on {app_port}")
            return problems
        check(f"{rel}: publishes the server port on loopback only", ports)

        def env_names():
            problems = [f"{n} is not read by the server" for n in env if n.startswith("CACHEGRID_") and n not in names]
            if not env.get("CACHEGRID_NODE_ID"):
                problems.append("CACHEGRID_NODE_ID not set")
            return problems
        check(f"{rel}: environment uses only CACHEGRID_* names the server reads", env_names)

        def secrets():
            problems = [f"{n} is written in the compose file (put it in {ENV_FILE})" for n in env if n in SECRET_NAMES]
            files = svc.get("env_file") or []
            entries = [f if isinstance(f, dict) else {"path": f} for f in (files if isinstance(files, list) else [files])]
            wanted = [e for e in entries
                      if os.path.normpath(os.path.join(os.path.dirname(path), e.get("path", ""))) == os.path.join(ROOT, ENV_FILE)]
            if not wanted:
                problems.append(f"no env_file entry for {ENV_FILE} at the repository root")
            elif wanted[0].get("required", True) is not False:
                problems.append(f"env_file {ENV_FILE} must be optional (required: false): without it auth is off")
            return problems
        check(f"{rel}: tokens come from the optional env file {ENV_FILE}, never from the compose file", secrets)

        def memory():
            if "mem_limit" not in svc:
                return "no mem_limit (the JVM would size its heap from the whole host)"
            heap_mib = memory_bytes(svc["mem_limit"]) * ram_percentage / 100 / 2**20
            cache_mb = float(env.get("CACHEGRID_MAX_MEMORY_MB") or 512)
            limit = heap_mib * CACHE_SHARE_OF_HEAP
            return None if cache_mb <= limit else f"cache {cache_mb:g} MB > 2/3 of heap {heap_mib:g} MiB"
        check(f"{rel}: CACHEGRID_MAX_MEMORY_MB <= 2/3 of the heap (mem_limit x MaxRAMPercentage)", memory)

        def build():
            b = svc.get("build") or {}
            context = os.path.normpath(os.path.join(os.path.dirname(path), b.get("context", ".")))
            problems = []
            if context != ROOT:
                problems.append(f"build context {b.get('context')} is not the repository root")
            if not os.path.isfile(os.path.join(context, b.get("dockerfile", "Dockerfile"))):
                problems.append(f"dockerfile {b.get('dockerfile')} not found from the context")
            hc = svc.get("healthcheck")
            if hc and (hc.get("disable") or "python" in json.dumps(hc)):
                problems.append("healthcheck disabled or needs python")
            return problems
        check(f"{rel}: builds docker/Dockerfile from the repository root; health check kept", build)

    def dev_files_agree():
        a, b = (dict(services.get(f) or {}) for f in DEV_COMPOSE_FILES)
        for s in (a, b):
            s.pop("build", None)
            s.pop("env_file", None)  # relative paths differ; each is checked to point at the same file above
        return None if a == b and a else "docker-compose.yml and docker/docker-compose.yml define different services"
    check("docker-compose.yml and docker/docker-compose.yml define the same service", dev_files_agree)


def cluster_compose_checks():
    """The three-node compose file: members found by CACHEGRID_PEERS (JGroups TCPPING on the derived cluster port),
    the cluster secret from the env file, only the HTTP ports published, and on loopback."""
    names = app_env_names()
    path = os.path.join(ROOT, CLUSTER_COMPOSE_FILE)
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    nodes = {k: v for k, v in (doc.get("services") or {}).items()}

    def members():
        problems = []
        if len(nodes) < 2:
            return f"{len(nodes)} services, a cluster needs at least 2"
        for name, svc in nodes.items():
            env = environment(svc)
            problems += [f"{name}: {n} is not read by the server" for n in env
                         if n.startswith("CACHEGRID_") and n not in names]
            peers = [p.strip() for p in (env.get("CACHEGRID_PEERS") or "").split(",") if p.strip()]
            hosts = {p.rsplit(":", 1)[0] for p in peers}
            if hosts != set(nodes):
                problems.append(f"{name}: CACHEGRID_PEERS {peers} does not list exactly the services {sorted(nodes)}")
            problems += [f"{name}: {n} is written in the compose file (put it in {ENV_FILE})" for n in env
                         if n in SECRET_NAMES]
            files = svc.get("env_file") or []
            entries = [f if isinstance(f, dict) else {"path": f} for f in (files if isinstance(files, list) else [files])]
            if not any(os.path.normpath(os.path.join(ROOT, e.get("path", ""))) == os.path.join(ROOT, ENV_FILE)
                       for e in entries):
                problems.append(f"{name}: no env_file {ENV_FILE} (where CACHEGRID_CLUSTER_SECRET comes from)")
            for mapping in svc.get("ports") or []:
                parts = str(mapping).split(":")
                if len(parts) != 3 or parts[0] != "127.0.0.1" or int(parts[2].split("/")[0]) != SERVER_PORT:
                    problems.append(f"{name}: {mapping} is not the HTTP port on loopback (JGroups ports stay "
                                    f"inside the compose network)")
        return problems
    check(f"{CLUSTER_COMPOSE_FILE}: members list each other, secret from {ENV_FILE}, only HTTP published", members)

    def example_has_secret():
        with open(os.path.join(ROOT, ENV_FILE + ".example"), encoding="utf-8") as f:
            return None if any(line.startswith("CACHEGRID_CLUSTER_SECRET=") for line in f) \
                else f"{ENV_FILE}.example does not show CACHEGRID_CLUSTER_SECRET"
    check(f"{ENV_FILE}.example sets the cluster secret the cluster compose file needs", example_has_secret)


def env_file_checks(names):
    def example():
        path = os.path.join(ROOT, ENV_FILE + ".example")
        if not os.path.isfile(path):
            return f"{ENV_FILE}.example is missing"
        problems = []
        for line in open(path, encoding="utf-8"):
            line = line.strip().lstrip("#").strip()
            name = line.split("=", 1)[0] if "=" in line and line.startswith("CACHEGRID_") else None
            if name and name not in names:
                problems.append(f"{name} is not read by the server")
        return problems
    check(f"{ENV_FILE}.example names only variables the server reads", example)

    def ignored():
        problems = []
        for rel in (".gitignore", ".dockerignore"):
            with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
                if ENV_FILE not in [line.strip().lstrip("/") for line in f]:
                    problems.append(f"{ENV_FILE} is not in {rel}")
        return problems
    check(f"{ENV_FILE} (secrets) is git-ignored and kept out of the image build context", ignored)


def main():
    ram_percentage = 75.0
    try:
        ins = dockerfile_checks()
        found = [m for m in (re.search(r"MaxRAMPercentage=(\d+(?:\.\d+)?)", a) for k, a in ins) if m]
        if found:  # otherwise the MaxRAMPercentage check has failed already; keep the JVM's 25 % default
            ram_percentage = float(found[0].group(1))
        else:
            ram_percentage = 25.0
    except Exception as e:
        check("Dockerfile: parses", lambda: f"{type(e).__name__}: {e}")
    dockerignore_checks()
    compose_checks(ram_percentage)
    cluster_compose_checks()
    env_file_checks(app_env_names())
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
