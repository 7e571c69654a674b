#!/usr/bin/env node
/*
 * Offline checks of CacheGrid's Kubernetes manifests. Run by scripts/test-deploy.sh:
 *   node k8s/test/check-k8s.js <k8s-dir> <dockerfile>
 * Prints one "PASS <check>" or "FAIL <check>: <why>" line per check; exits 1 when any check failed.
 *
 * 1. Schema: every object is validated against the official Kubernetes OpenAPI schemas (npm kubernetes-models@4).
 * 2. Unknown fields: those schemas allow extra properties, so a misspelt field (e.g. "readinesProbe") passes them.
 *    We find unknown fields with the schema itself: for every key of every object in a manifest, replace that one
 *    value with [0.5] -- which no Kubernetes type accepts (not a string, integer, boolean, object or list of those) --
 *    and validate again. A known field produces an error at its own path; a field the schema does not know produces
 *    none, and is reported. This walks the whole document, however deep.
 * 3. Cross references between the objects, the ConfigMap's settings and the Dockerfile (see each check's name).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const k8sDir = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const dockerfile = path.resolve(process.argv[3] || path.join(k8sDir, '..', 'docker', 'Dockerfile'));
const envNamesFile = path.join(__dirname, 'app-env-names.txt');

let failures = 0;
function pass(name) {
  console.log(`PASS ${name}`);
}
function fail(name, why) {
  failures++;
  console.log(`FAIL ${name}: ${why}`);
}
/** Runs one named check; it passes unless it returns a non-empty reason (string or list of strings) or throws. */
function check(name, fn) {
  try {
    const problems = [].concat(fn() || []).filter(Boolean);
    if (problems.length === 0) pass(name);
    else fail(name, problems.join('; '));
  } catch (e) {
    fail(name, e.message);
  }
}

// ------------------------------------------------------------------------------------------------ loading
const MANIFEST_KEYS_KUSTOMIZATION = new Set(['apiVersion', 'kind', 'resources', 'images']);
const KUSTOMIZE_IMAGE_KEYS = new Set(['name', 'newName', 'newTag', 'digest']);

const manifestFiles = fs.readdirSync(k8sDir)
  .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
  .sort();

/** All objects of all manifest files, each as {file, doc}. */
const objects = [];
for (const file of manifestFiles) {
  check(`yaml parses: ${file}`, () => {
    const docs = yaml.loadAll(fs.readFileSync(path.join(k8sDir, file), 'utf8')).filter((d) => d != null);
    if (docs.length === 0) return 'no object in file';
    for (const doc of docs) objects.push({ file, doc });
  });
}
const label = (o) => `${o.doc.kind}/${o.doc.metadata && o.doc.metadata.name} (${o.file})`;

let kustomization = null;
check('kustomization.yaml parses', () => {
  kustomization = yaml.load(fs.readFileSync(path.join(k8sDir, 'kustomization.yaml'), 'utf8'));
});

// ------------------------------------------------------------------------------------------------ schemas
function modelClass(doc) {
  if (!doc || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    throw new Error('apiVersion and kind must be strings');
  }
  let group;
  try {
    group = require(`kubernetes-models/${doc.apiVersion}`);
  } catch (e) {
    throw new Error(`unknown apiVersion ${doc.apiVersion}`);
  }
  if (typeof group[doc.kind] !== 'function') throw new Error(`unknown kind ${doc.kind} in ${doc.apiVersion}`);
  return group[doc.kind];
}

/** Schema errors of doc, as a list of {instancePath, message}. */
function schemaErrors(Model, doc) {
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    if (!e.errors) throw e;
    return e.errors;
  }
}

const POISON = [0.5]; // accepted by no Kubernetes field type, see the header
const pointer = (parts) => parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** Paths (JSON pointers) of fields the schema does not know, found by poisoning one field at a time. */
function unknownFields(Model, doc) {
  const unknown = [];
  const walk = (value, parts) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, parts.concat(i)));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      const fieldParts = parts.concat(key);
      const copy = structuredClone(doc);
      let parent = copy;
      for (const p of parts) parent = parent[p];
      parent[key] = POISON;
      const at = pointer(fieldParts);
      const known = schemaErrors(Model, copy).some((e) => e.instancePath === at || e.instancePath.startsWith(at + '/'));
      if (!known) unknown.push(at);
      else walk(value[key], fieldParts);
    }
  };
  walk(doc, []);
  return unknown;
}

for (const o of objects) {
  let Model = null;
  check(`schema: ${label(o)}`, () => {
    Model = modelClass(o.doc);
    return schemaErrors(Model, o.doc).map((e) => `${e.instancePath || '/'} ${e.message}`);
  });
  check(`no unknown fields: ${label(o)}`, () => {
    if (!Model) return 'schema check failed first';
    return unknownFields(Model, o.doc).map((p) => `unknown field ${p}`);
  });
  check(`namespace-agnostic: ${label(o)}`, () =>
    o.doc.metadata && o.doc.metadata.namespace ? `metadata.namespace is set (${o.doc.metadata.namespace})` : null);
}

// ------------------------------------------------------------------------------------------------ kustomization
check('kustomization: apiVersion, kind and known fields only', () => {
  const k = kustomization || {};
  const problems = [];
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1') problems.push(`apiVersion ${k.apiVersion}`);
  if (k.kind !== 'Kustomization') problems.push(`kind ${k.kind}`);
  for (const key of Object.keys(k)) if (!MANIFEST_KEYS_KUSTOMIZATION.has(key)) problems.push(`unexpected field ${key}`);
  for (const image of k.images || []) {
    for (const key of Object.keys(image)) if (!KUSTOMIZE_IMAGE_KEYS.has(key)) problems.push(`unexpected images field ${key}`);
  }
  return problems;
});
check('kustomization: lists every manifest file, and only existing ones', () => {
  const listed = (kustomization && kustomization.resources) || [];
  const problems = manifestFiles.filter((f) => !listed.includes(f)).map((f) => `${f} not in resources`);
  for (const r of listed) if (!fs.existsSync(path.join(k8sDir, r))) problems.push(`${r} listed but missing`);
  if (new Set(listed).size !== listed.length) problems.push('a resource is listed twice');
  return problems;
});

// ------------------------------------------------------------------------------------------------ cross references
const ofKind = (kind) => objects.filter((o) => o.doc.kind === kind).map((o) => o.doc);
const sts = ofKind('StatefulSet');
const services = ofKind('Service');
const configMaps = ofKind('ConfigMap');
const pdbs = ofKind('PodDisruptionBudget');
const set = sts[0] || {};
const spec = set.spec || {};
const podTemplate = spec.template || {};
const podLabels = (podTemplate.metadata && podTemplate.metadata.labels) || {};
const podSpec = podTemplate.spec || {};
const container = (podSpec.containers || [])[0] || {};
const containerPorts = container.ports || [];
const matches = (selector, labels) =>
  selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
/** The containerPort that a Service targetPort or probe port (name or number) points at, or undefined. */
const resolvePort = (port) => containerPorts.find((p) => (typeof port === 'string' ? p.name === port : p.containerPort === port));
const appEnvNames = new Set(fs.readFileSync(envNamesFile, 'utf8').split('\n')
  .map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));

check('exactly one StatefulSet, one ConfigMap, one PodDisruptionBudget, two Services', () => {
  const counts = { StatefulSet: sts.length, ConfigMap: configMaps.length, PodDisruptionBudget: pdbs.length, Service: services.length };
  const want = { StatefulSet: 1, ConfigMap: 1, PodDisruptionBudget: 1, Service: 2 };
  return Object.keys(want).filter((k) => counts[k] !== want[k]).map((k) => `${counts[k]} ${k}`);
});
check('StatefulSet selector matches its pod template labels', () =>
  matches(spec.selector && spec.selector.matchLabels, podLabels) ? null : 'selector.matchLabels not all in template labels');
check('StatefulSet serviceName is a headless Service publishing not-ready addresses', () => {
  const svc = services.find((s) => s.metadata.name === spec.serviceName);
  if (!svc) return `no Service named ${spec.serviceName}`;
  const problems = [];
  if (svc.spec.clusterIP !== 'None') problems.push('clusterIP is not None');
  if (svc.spec.publishNotReadyAddresses !== true) problems.push('publishNotReadyAddresses is not true');
  return problems;
});
check('a ClusterIP client Service on port 8080 exists besides the headless one', () => {
  const client = services.filter((s) => s.spec.clusterIP !== 'None' && (s.spec.type || 'ClusterIP') === 'ClusterIP');
  if (client.length !== 1) return `${client.length} client Services`;
  return (client[0].spec.ports || []).some((p) => p.port === 8080) ? null : 'no port 8080';
});
for (const svc of services) {
  check(`Service ${svc.metadata.name} selector matches the StatefulSet pod labels`, () =>
    matches(svc.spec.selector, podLabels) ? null : `selector ${JSON.stringify(svc.spec.selector)} vs ${JSON.stringify(podLabels)}`);
  check(`Service ${svc.metadata.name} targetPort resolves to the container port`, () =>
    (svc.spec.ports || []).map((p) => {
      const target = p.targetPort === undefined ? p.port : p.targetPort;
      return resolvePort(target) ? null : `targetPort ${target} is no container port`;
    }));
}
check('PodDisruptionBudget selector matches the StatefulSet pod labels', () =>
  pdbs.map((p) => (matches(p.spec.selector && p.spec.selector.matchLabels, podLabels) ? null : `${p.metadata.name} selector`)));

const configData = (configMaps[0] && configMaps[0].data) || {};
check('container port 8080 (named http) equals CACHEGRID_PORT', () => {
  const problems = [];
  const http = containerPorts.find((p) => p.name === 'http');
  if (!http || http.containerPort !== 8080) problems.push('no containerPort 8080 named http');
  if (configData.CACHEGRID_PORT !== undefined && Number(configData.CACHEGRID_PORT) !== 8080) {
    problems.push(`CACHEGRID_PORT is ${configData.CACHEGRID_PORT}`);
  }
  return problems;
});
const PROBES = {
  startupProbe: '/observe/health/started',
  livenessProbe: '/observe/health/live',
  readinessProbe: '/observe/health/ready',
};
for (const [probe, wantPath] of Object.entries(PROBES)) {
  check(`${probe} is GET ${wantPath} on a container port`, () => {
    const get = container[probe] && container[probe].httpGet;
    if (!get) return `no ${probe}.httpGet`;
    const problems = [];
    if (get.path !== wantPath) problems.push(`path ${get.path}`);
    if (!resolvePort(get.port)) problems.push(`port ${get.port} is no container port`);
    return problems;
  });
}
check('Prometheus annotations: scrape true, the container port, /metrics', () => {
  const a = (podTemplate.metadata && podTemplate.metadata.annotations) || {};
  const problems = [];
  if (a['prometheus.io/scrape'] !== 'true') problems.push('prometheus.io/scrape');
  if (!resolvePort(Number(a['prometheus.io/port']))) problems.push(`prometheus.io/port ${a['prometheus.io/port']}`);
  if (a['prometheus.io/path'] !== '/metrics') problems.push(`prometheus.io/path ${a['prometheus.io/path']}`);
  return problems;
});
check('envFrom names the ConfigMap; CACHEGRID_NODE_ID comes from the pod name', () => {
  const problems = [];
  const refs = (container.envFrom || []).map((e) => e.configMapRef && e.configMapRef.name);
  if (!configMaps[0] || !refs.includes(configMaps[0].metadata.name)) problems.push(`envFrom ${JSON.stringify(refs)}`);
  const nodeId = (container.env || []).find((e) => e.name === 'CACHEGRID_NODE_ID');
  const field = nodeId && nodeId.valueFrom && nodeId.valueFrom.fieldRef && nodeId.valueFrom.fieldRef.fieldPath;
  if (field !== 'metadata.name') problems.push(`CACHEGRID_NODE_ID fieldPath ${field}`);
  return problems;
});
check('every CACHEGRID_* name in the ConfigMap and container env is one the server reads', () => {
  const names = Object.keys(configData).concat((container.env || []).map((e) => e.name));
  const problems = names.filter((n) => n.startsWith('CACHEGRID_') && !appEnvNames.has(n)).map((n) => `unknown ${n}`);
  problems.push(...Object.keys(configData).filter((n) => !n.startsWith('CACHEGRID_')).map((n) => `ConfigMap key ${n} is not CACHEGRID_*`));
  return problems;
});

// Secrets: tokens only from the optional Secret cachegrid-auth, the certificate from the optional Secret cachegrid-tls;
// the example Secrets in k8s/examples (not applied) are valid and carry the names the StatefulSet refers to.
const SECRET_NAMES = ['CACHEGRID_AUTH_TOKENS', 'CACHEGRID_AUTH_TOKEN', 'CACHEGRID_TLS_KEYSTORE_PASSWORD'];
const examplesDir = path.join(k8sDir, 'examples');
const examples = fs.existsSync(examplesDir) ? fs.readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f)).sort()
  .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(examplesDir, f), 'utf8')).filter(Boolean)
    .map((doc) => ({ file: 'examples/' + f, doc }))) : [];
const secretRefs = (container.envFrom || []).filter((e) => e.secretRef).map((e) => e.secretRef);
check('tokens come from the optional Secret cachegrid-auth (envFrom), never from the ConfigMap or a literal env', () => {
  const problems = [];
  const ref = secretRefs.find((r) => r.name === 'cachegrid-auth');
  if (!ref) problems.push(`no envFrom secretRef cachegrid-auth (found ${JSON.stringify(secretRefs)})`);
  else if (ref.optional !== true) problems.push('secretRef cachegrid-auth is not optional: pods would not start without it');
  problems.push(...Object.keys(configData).filter((n) => SECRET_NAMES.includes(n)).map((n) => `${n} in the ConfigMap`));
  problems.push(...(container.env || []).filter((e) => SECRET_NAMES.includes(e.name) && e.value !== undefined)
    .map((e) => `${e.name} written in the manifest`));
  return problems;
});
check('the cluster secret comes from the Secret cachegrid-cluster (secretKeyRef, not optional), never a literal', () => {
  const problems = [];
  const env = (container.env || []).find((e) => e.name === 'CACHEGRID_CLUSTER_SECRET');
  const ref = env && env.valueFrom && env.valueFrom.secretKeyRef;
  if (!ref) problems.push('no CACHEGRID_CLUSTER_SECRET from a secretKeyRef');
  else {
    if (ref.name !== 'cachegrid-cluster' || ref.key !== 'secret') problems.push(`secretKeyRef ${JSON.stringify(ref)}`);
    if (ref.optional === true) problems.push('the cluster secret is optional: pods would start and then refuse');
  }
  if (env && env.value !== undefined) problems.push('CACHEGRID_CLUSTER_SECRET written in the manifest');
  if ('CACHEGRID_CLUSTER_SECRET' in configData) problems.push('CACHEGRID_CLUSTER_SECRET in the ConfigMap');
  return problems;
});
check('JGroups: DNS_PING on the headless Service, cluster port and port + 100 exposed by the pod and the Service', () => {
  const problems = [];
  const port = Number(configData.CACHEGRID_CLUSTER_PORT);
  if (!port) return 'CACHEGRID_CLUSTER_PORT is not set in the ConfigMap (every pod must use the same one)';
  const headless = services.find((s) => s.spec.clusterIP === 'None');
  if (!headless) return 'no headless Service';
  if (configData.CACHEGRID_DISCOVERY_DNS !== headless.metadata.name) {
    problems.push(`CACHEGRID_DISCOVERY_DNS ${configData.CACHEGRID_DISCOVERY_DNS} is not the headless Service ${headless.metadata.name}`);
  }
  if (headless.spec.publishNotReadyAddresses !== true) problems.push('headless Service does not publish not-ready pods');
  for (const p of [port, port + 100]) {
    if (!containerPorts.some((c) => c.containerPort === p)) problems.push(`container port ${p} missing`);
    if (!(headless.spec.ports || []).some((s) => s.port === p)) problems.push(`headless Service port ${p} missing`);
  }
  return problems;
});
check('the TLS Secret cachegrid-tls is an optional volume mounted read-only at /etc/cachegrid/tls', () => {
  const volume = (podSpec.volumes || []).find((v) => v.secret && v.secret.secretName === 'cachegrid-tls');
  if (!volume) return 'no volume from Secret cachegrid-tls';
  const problems = [];
  if (volume.secret.optional !== true) problems.push('the Secret volume is not optional');
  const mount = (container.volumeMounts || []).find((m) => m.name === volume.name);
  if (!mount || mount.mountPath !== '/etc/cachegrid/tls' || mount.readOnly !== true) {
    problems.push(`mount ${JSON.stringify(mount)}`);
  }
  return problems;
});
for (const o of examples) {
  check(`example is schema-valid with no unknown fields: ${label(o)}`, () => {
    const Model = modelClass(o.doc);
    return schemaErrors(Model, o.doc).map((e) => `${e.instancePath || '/'} ${e.message}`)
      .concat(unknownFields(Model, o.doc).map((p) => `unknown field ${p}`));
  });
}
check('example Secrets match the names the StatefulSet refers to and hold only settings the server reads', () => {
  const problems = [];
  const byName = Object.fromEntries(examples.filter((o) => o.doc.kind === 'Secret').map((o) => [o.doc.metadata.name, o.doc]));
  const auth = byName['cachegrid-auth'];
  if (!auth) problems.push('no example Secret cachegrid-auth');
  else {
    const keys = Object.keys(auth.stringData || {}).concat(Object.keys(auth.data || {}));
    problems.push(...keys.filter((k) => !appEnvNames.has(k)).map((k) => `cachegrid-auth key ${k} is not read by the server`));
    if (!keys.includes('CACHEGRID_AUTH_TOKENS') && !keys.includes('CACHEGRID_AUTH_TOKEN')) problems.push('cachegrid-auth holds no token');
  }
  const cluster = byName['cachegrid-cluster'];
  if (!cluster) problems.push('no example Secret cachegrid-cluster');
  else if (!cluster.stringData || typeof cluster.stringData.secret !== 'string' || cluster.stringData.secret.length < 16) {
    problems.push('cachegrid-cluster has no stringData.secret of at least 16 characters');
  }
  const tls = byName['cachegrid-tls'];
  if (!tls) problems.push('no example Secret cachegrid-tls');
  else if (tls.type !== 'kubernetes.io/tls') problems.push(`cachegrid-tls type ${tls.type}`);
  return problems;
});

const dockerText = fs.existsSync(dockerfile) ? fs.readFileSync(dockerfile, 'utf8') : '';
check('pod and container securityContext: non-root (the image uid), read-only root, no capabilities, seccomp', () => {
  const pod = podSpec.securityContext || {};
  const c = container.securityContext || {};
  const problems = [];
  if (pod.runAsNonRoot !== true) problems.push('pod runAsNonRoot');
  const imageUser = (dockerText.match(/^USER\s+(\d+)/m) || [])[1];
  if (!pod.runAsUser || String(pod.runAsUser) !== imageUser) problems.push(`runAsUser ${pod.runAsUser} vs Dockerfile USER ${imageUser}`);
  if (!pod.seccompProfile || pod.seccompProfile.type !== 'RuntimeDefault') problems.push('seccompProfile RuntimeDefault');
  if (c.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation');
  if (c.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem');
  if (c.runAsNonRoot !== true) problems.push('container runAsNonRoot');
  if (!c.capabilities || JSON.stringify(c.capabilities.drop) !== '["ALL"]' || c.capabilities.add) problems.push('capabilities drop ALL');
  const tmp = (container.volumeMounts || []).find((m) => m.mountPath === '/tmp');
  const vol = tmp && (podSpec.volumes || []).find((v) => v.name === tmp.name);
  if (!vol || !vol.emptyDir) problems.push('/tmp is not an emptyDir mount');
  return problems;
});

/** Bytes in a Kubernetes quantity such as 1Gi, 512Mi, 1G. */
function bytes(q) {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
  if (!m) throw new Error(`cannot read quantity ${q}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]] || 1;
  return Number(m[1]) * unit;
}
check('memory: request = limit, and CACHEGRID_MAX_MEMORY_MB <= 2/3 of the heap (limit x MaxRAMPercentage)', () => {
  const r = container.resources || {};
  const limit = r.limits && r.limits.memory;
  const request = r.requests && r.requests.memory;
  if (!limit) return 'no memory limit';
  const problems = [];
  if (!request || bytes(request) !== bytes(limit)) problems.push(`request ${request} != limit ${limit}`);
  const javaOpts = ((container.env || []).find((e) => e.name === 'JAVA_OPTS') || {}).value || dockerText;
  const pct = Number((/MaxRAMPercentage=(\d+(?:\.\d+)?)/.exec(javaOpts) || [])[1]);
  if (!pct) return problems.concat('no -XX:MaxRAMPercentage in JAVA_OPTS or the Dockerfile');
  const heapMiB = (bytes(limit) * pct) / 100 / 2 ** 20;
  const cacheMB = Number(configData.CACHEGRID_MAX_MEMORY_MB || 512);
  if (cacheMB > (heapMiB * 2) / 3) problems.push(`cache ${cacheMB} MB > 2/3 of heap ${heapMiB} MiB`);
  return problems;
});
check('image is pinned (no :latest) and matches the kustomization images entry', () => {
  const image = container.image || '';
  const problems = [];
  if (!/:[^/]+$/.test(image) || image.endsWith(':latest')) problems.push(`image ${image} has no fixed tag`);
  const name = image.replace(/:[^/]+$/, '');
  for (const i of (kustomization && kustomization.images) || []) if (i.name !== name) problems.push(`kustomization image ${i.name} != ${name}`);
  return problems;
});

process.exit(failures === 0 ? 0 : 1);
