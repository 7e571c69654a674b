// Starts the real CacheGrid server jar on a loopback port, waits until it answers, and stops/restarts it.
// The first start binds a port the OS chooses (CACHEGRID_PORT=0) and reads it back from CACHEGRID_PORT_FILE; a
// restart reuses that port, because the page open in the browser must find the server where it was.
// Java: the first 21+ JDK among $JAVA_HOME and /usr/lib/jvm/* (the machine's default java may be 17).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../../..');
export const TARGET = path.join(REPO, 'console/target');
const JAR = process.env.CACHEGRID_JAR || path.join(REPO, 'app/target/cachegrid.jar');
const START_TIMEOUT_MS = 40_000;
const STOP_TIMEOUT_MS = 10_000;

export function findJava() {
  const homes = [process.env.JAVA_HOME, ...listJvms()].filter(Boolean);
  for (const home of homes) {
    const java = path.join(home, 'bin/java');
    if (fs.existsSync(java) && majorVersion(home) >= 21) return java;
  }
  throw new Error('No JDK 21+ found (set JAVA_HOME); looked in: ' + homes.join(', '));
}

function listJvms() {
  try {
    return fs.readdirSync('/usr/lib/jvm').map((d) => path.join('/usr/lib/jvm', d))
      .sort((a, b) => majorVersion(b) - majorVersion(a));
  } catch { return []; }
}

function majorVersion(home) {
  try {
    const m = fs.readFileSync(path.join(home, 'release'), 'utf8').match(/JAVA_VERSION="(\d+)/);
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Server {
  constructor(port = 0, env = {}) {
    this.port = port;
    this.env = env;
    this.base = null;
    this.proc = null;
    this.logFile = path.join(TARGET, 'console-test-server.log');
  }

  /** Starts the jar; `env` adds CACHEGRID_* variables (e.g. tokens). */
  static async start(env = {}) {
    if (!fs.existsSync(JAR)) throw new Error(`${JAR} is missing: build it first (mvn -B -DskipTests package)`);
    const server = new Server(0, env);
    await server.start();
    return server;
  }

  async start() {
    fs.mkdirSync(TARGET, { recursive: true });
    const log = fs.openSync(this.logFile, 'a');
    const portFile = path.join(TARGET, `console-test-server-${process.pid}.port`);
    fs.rmSync(portFile, { force: true });
    this.proc = spawn(findJava(), ['-jar', JAR], {
      cwd: REPO,
      env: {
        ...process.env,
        CACHEGRID_HOST: '127.0.0.1',
        CACHEGRID_PORT: String(this.port),
        CACHEGRID_PORT_FILE: portFile,
        CACHEGRID_NODE_ID: 'console-test',
        ...this.env,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const proc = this.proc;
    let exited = null;
    proc.once('exit', (code, signal) => { exited = { code, signal }; });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && !fs.existsSync(portFile)) {
      if (exited) throw new Error(`server exited during start (${JSON.stringify(exited)}); see ${this.logFile}`);
      await sleep(100);
    }
    if (fs.existsSync(portFile)) {
      this.port = Number(fs.readFileSync(portFile, 'utf8').trim());
      this.base = `http://127.0.0.1:${this.port}`;
      fs.rmSync(portFile, { force: true });
    }
    while (this.base && Date.now() < deadline) {
      if (exited) throw new Error(`server exited during start (${JSON.stringify(exited)}); see ${this.logFile}`);
      try {
        const res = await fetch(this.base + '/health', { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch { /* not up yet */ }
      await sleep(200);
    }
    await this.stop();
    throw new Error(`server did not answer /health within ${START_TIMEOUT_MS / 1000} s; see ${this.logFile}`);
  }

  async stop() {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  }

  /** JSON over HTTP to the server; returns { status, body }. */
  async call(method, route, body) {
    const res = await fetch(this.base + route, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async json(method, route, body) {
    const { status, body: data } = await this.call(method, route, body);
    if (status >= 400) throw new Error(`${method} ${route} → ${status} ${JSON.stringify(data)}`);
    return data;
  }
}
