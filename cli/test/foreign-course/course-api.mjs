// A second, independent implementation of the W2Meet API: the "course" system w2meet grades in its
// integration tests. One role per process (env ROLE), Node.js built-ins only, plain-text log lines
// in the course's format. It deviates from the contract on purpose (see README.md): w2meet must find
// and report exactly those deviations, so the rest follows the contract and w2meet's services.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const ROLES = ['gateway', 'user-service', 'availability-service', 'suggestion-service', 'worker-service'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const PREFERENCES = ['first', 'last', 'random'];
const BODY_LIMIT = 64 * 1024;
const CASE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const NO_CASE = '-';

// ---------------------------------------------------------------------------------------------
// Configuration, read once

function fail(message) {
  process.stderr.write(`course-api: ${message}\n`);
  process.exit(2);
}

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) fail(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const ROLE = process.env.ROLE ?? '';
if (!ROLES.includes(ROLE)) fail(`set ROLE to one of ${ROLES.join(', ')} (got "${ROLE}")`);

const config = Object.freeze({
  port: intEnv('PORT', 8000),
  host: process.env.HOST || '127.0.0.1',
  userUrl: process.env.USER_URL || 'http://127.0.0.1:8001',
  availabilityUrl: process.env.AVAILABILITY_URL || 'http://127.0.0.1:8002',
  suggestionUrl: process.env.SUGGESTION_URL || 'http://127.0.0.1:8003',
  workerUrl: process.env.WORKER_URL || 'http://127.0.0.1:8004',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  logFile: process.env.LOG_FILE || '',
  dbLatencyMs: intEnv('DB_LATENCY_MS', 3),
  ttlSeconds: intEnv('TTL_SECONDS', 300),
  upstreamTimeoutMs: intEnv('UPSTREAM_TIMEOUT_MS', 5000),
  redisTimeoutMs: intEnv('REDIS_TIMEOUT_MS', 500),
  workerConcurrency: Math.max(1, intEnv('WORKER_CONCURRENCY', 4)),
  maxQueuedJobs: Math.max(1, intEnv('MAX_QUEUED_JOBS', 10000)),
});

// ---------------------------------------------------------------------------------------------
// Logging: Python's logging format, "asctime - name - level - [case-id] message"

let logStream = null;
if (config.logFile) {
  logStream = createWriteStream(config.logFile, { flags: 'a' });
  logStream.on('error', (err) => {
    process.stderr.write(`course-api: cannot write ${config.logFile}: ${err.message}\n`);
    logStream = null;
  });
}
// A parent that went away must not take the service with it.
process.stdout.on('error', () => {});

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

function asctime(d = new Date()) {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

function log(level, caseId, message) {
  const line = `${asctime()} - ${ROLE} - ${level} - [${caseId}] ${message}\n`;
  process.stdout.write(line);
  logStream?.write(line);
}

const info = (caseId, message) => log('INFO', caseId, message);
const warn = (caseId, message) => log('WARNING', caseId, message);
const error = (caseId, message) => log('ERROR', caseId, message);

const COMPLETED_LINES = {
  'user-service': (status, ms) => `Request completed - Status=${status}, Time taken=${ms.toFixed(2)} ms`,
  'availability-service': (status, ms) => `Request completed - Status=${status}, Time taken=${ms.toFixed(2)} ms`,
  'suggestion-service': (status, ms) => `Suggestion request completed - Status=${status}, Time taken=${ms.toFixed(2)} ms`,
  'worker-service': (status, ms) => `Request completed - Status=${status}, Time taken=${ms.toFixed(2)}ms`,
};

// ---------------------------------------------------------------------------------------------
// HTTP plumbing shared by every role

class ApiError extends Error {
  constructor(status, msg, detail) {
    super(msg);
    this.status = status;
    this.detail = detail ?? [{ loc: ['internal'], msg, type: 'http_error' }];
  }
}

function invalid(problems) {
  return new ApiError(400, problems[0].msg, problems);
}

function caseIdOf(req) {
  const value = req.headers['case-id'];
  return typeof value === 'string' && CASE_ID_PATTERN.test(value) ? value : randomUUID();
}

function sendJson(res, status, body, caseId) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Case-ID': caseId });
  res.end(text);
}

function sendError(res, err, caseId) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, { case_id: caseId, detail: err.detail }, caseId);
}

/** The whole body, at most BODY_LIMIT bytes; a longer one is read to its end and refused with 413. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > BODY_LIMIT) reject(new ApiError(413, 'Request body is larger than 64 KiB'));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

async function readJson(req) {
  const raw = await readBody(req);
  if (raw.length === 0) throw invalid([{ loc: ['body'], msg: 'A JSON body is required', type: 'value_error.missing' }]);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw invalid([{ loc: ['body'], msg: `Invalid JSON: ${err.message}`, type: 'value_error.jsondecode' }]);
  }
}

/** Splits a request target by hand: `new URL` would read `//x` as a host. */
function splitTarget(target) {
  const q = target.indexOf('?');
  return q < 0
    ? { path: target, query: new URLSearchParams() }
    : { path: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid([{ loc: ['path'], msg: 'Malformed percent-encoding in the path', type: 'value_error.url' }]);
  }
}

function startServer(handle) {
  const server = http.createServer(handle);
  // Longer than the callers' idle keep-alive, so a reused connection is rarely closed under them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  server.on('error', (err) => {
    error(NO_CASE, `Cannot listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address();
    info(NO_CASE, `${ROLE} listening on http://${config.host}:${port}`);
  });
  return server;
}

/**
 * Logs a request's completed line once, when its answer is sent or its connection closes, with
 * the time since it began; the probes' own requests are not logged.
 */
function logWhenDone(res, caseId, line) {
  const started = performance.now();
  let logged = false;
  const done = () => {
    if (logged) return;
    logged = true;
    if (!caseId.startsWith('w2meet-probe')) info(caseId, line(performance.now() - started));
  };
  res.on('finish', done);
  res.on('close', done);
}

/**
 * A service's request loop: routes by method and path, turns ApiErrors into the error body and
 * anything else into a 500, and logs the role's request-completed line once per request.
 */
function serviceServer(routes) {
  const completed = COMPLETED_LINES[ROLE];
  return startServer(async (req, res) => {
    const caseId = caseIdOf(req);
    logWhenDone(res, caseId, (ms) => completed(res.statusCode, ms));
    try {
      const { path, query } = splitTarget(req.url ?? '/');
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const match = route.path.exec(path);
        if (!match) continue;
        await route.handle({ req, res, caseId, query, params: match.slice(1) });
        return;
      }
      throw new ApiError(404, 'Not Found');
    } catch (err) {
      if (err instanceof ApiError) {
        sendError(res, err, caseId);
        return;
      }
      error(caseId, `Unhandled error in ${req.method} ${req.url}: ${err?.stack ?? err}`);
      sendError(res, new ApiError(500, 'Internal server error'), caseId);
    }
  });
}

function healthRoute() {
  return {
    method: 'GET',
    path: /^\/health$/,
    handle: ({ res, caseId }) => sendJson(res, 200, { status: 'healthy', service: ROLE }, caseId),
  };
}

// ---------------------------------------------------------------------------------------------
// Outgoing HTTP: keep-alive, a timeout on every call, the Case-ID on every call

const agent = new http.Agent({ keepAlive: true, maxSockets: 128, timeout: 30_000 });

/** The downstream could not be reached, reset the connection or did not answer in time. */
class Unreachable extends Error {
  constructor(message, timedOut = false) {
    super(message);
    this.timedOut = timedOut;
  }
}

function callOnce(base, path, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const req = http.request({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port || 80,
      path: base.pathname.replace(/\/$/, '') + path,
      method: options.method,
      headers: options.headers,
      agent,
    });
    const timer = setTimeout(
      () => req.destroy(new Unreachable(`${base.host} did not answer in ${options.timeoutMs} ms`, true)),
      options.timeoutMs,
    );
    const failed = (err) => {
      const out = err instanceof Unreachable ? err : new Unreachable(`${base.host}: ${err.message}`);
      out.code = err.code;
      out.reused = req.reusedSocket;
      settle(reject, out);
    };
    req.on('error', failed);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', failed);
      res.on('aborted', () => failed(new Error('the connection closed mid-answer')));
      res.on('end', () =>
        settle(resolve, { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }),
      );
    });
    req.end(options.body);
  });
}

/** One call; a GET whose reused keep-alive connection was closed under it is sent once more. */
async function call(baseUrl, path, { method = 'GET', caseId, headers = {}, body, timeoutMs = config.upstreamTimeoutMs }) {
  const base = new URL(baseUrl);
  const options = { method, timeoutMs, body, headers: { ...headers, 'case-id': caseId } };
  if (body !== undefined) options.headers['content-length'] = Buffer.byteLength(body);
  try {
    return await callOnce(base, path, options);
  } catch (err) {
    const stale = err.reused && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
    if (!stale || (method !== 'GET' && method !== 'HEAD')) throw err;
    return callOnce(base, path, options);
  }
}

async function getJson(baseUrl, path, caseId) {
  const res = await call(baseUrl, path, { caseId, headers: { accept: 'application/json' } });
  let body = null;
  try {
    body = res.body.length ? JSON.parse(res.body.toString('utf8')) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

/**
 * The contract's mapping of downstream answers: a 404 from any call is "not found"; a call that
 * could not reach the service, or a 503, is "unavailable"; any other error status is "error".
 */
async function downstream(calls, messages) {
  const results = await Promise.allSettled(calls);
  for (const r of results) {
    if (r.status === 'rejected' && !(r.reason instanceof Unreachable)) throw r.reason;
  }
  if (results.some((r) => r.status === 'rejected')) throw new ApiError(503, messages.unavailable);
  const answers = results.map((r) => r.value);
  if (answers.some((a) => a.status === 404)) throw new ApiError(404, messages.notFound);
  if (answers.some((a) => a.status === 503)) throw new ApiError(503, messages.unavailable);
  if (answers.some((a) => a.status >= 300 || a.body === null)) throw new ApiError(502, messages.error);
  return answers.map((a) => a.body);
}

// ---------------------------------------------------------------------------------------------
// Validation

function isEmail(value) {
  if (typeof value !== 'string' || value.length < 3 || value.length > 254 || /\s/.test(value)) return false;
  const parts = value.split('@');
  if (parts.length !== 2 || parts[0] === '') return false;
  const labels = parts[1].split('.');
  return labels.length >= 2 && labels.every((label) => label !== '');
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireEmail(value, loc, problems) {
  if (value === undefined || value === null || value === '') problems.push({ loc, msg: 'Field required', type: 'value_error.missing' });
  else if (!isEmail(value)) problems.push({ loc, msg: 'Value is not a valid email address', type: 'value_error.email' });
}

function checkPreference(value, loc, problems) {
  if (value !== undefined && !PREFERENCES.includes(value)) {
    problems.push({ loc, msg: "Input should be 'first', 'last' or 'random'", type: 'value_error.enum' });
  }
}

/** The two users of a query (availability, suggestion), or a 400 naming every problem. */
function twoUsers(query, withPreference) {
  const problems = [];
  const userId1 = query.get('userId1') ?? undefined;
  const userId2 = query.get('userId2') ?? undefined;
  requireEmail(userId1, ['query', 'userId1'], problems);
  requireEmail(userId2, ['query', 'userId2'], problems);
  const preference = withPreference ? (query.get('preference') ?? undefined) : undefined;
  checkPreference(preference, ['query', 'preference'], problems);
  if (problems.length) throw invalid(problems);
  return { userId1, userId2, preference };
}

// ---------------------------------------------------------------------------------------------
// Redis: a small RESP client over one connection. Commands are pipelined; replies come back in
// order and settle a FIFO of pending commands. While Redis is away commands fail at once (no
// offline queue), so callers bypass the cache instead of waiting; the link keeps reconnecting.

class RedisReplyError extends Error {}

function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  }
  return out;
}

/** One reply from `buf` at `start`: [value, next offset], or null when more bytes are needed. */
function parseReply(buf, start) {
  const end = buf.indexOf('\r\n', start);
  if (end < 0) return null;
  const kind = String.fromCharCode(buf[start]);
  const line = buf.toString('utf8', start + 1, end);
  const after = end + 2;
  if (kind === '+') return [line, after];
  if (kind === '-') return [new RedisReplyError(line), after];
  if (kind === ':') return [Number(line), after];
  if (kind === '$') {
    const length = Number(line);
    if (length < 0) return [null, after];
    if (buf.length < after + length + 2) return null;
    return [buf.toString('utf8', after, after + length), after + length + 2];
  }
  if (kind === '*') {
    const count = Number(line);
    if (count < 0) return [null, after];
    const items = [];
    let pos = after;
    for (let i = 0; i < count; i++) {
      const item = parseReply(buf, pos);
      if (!item) return null;
      items.push(item[0]);
      pos = item[1];
    }
    return [items, pos];
  }
  throw new Error(`unexpected RESP reply type "${kind}"`);
}

class RedisLink {
  constructor(url, timeoutMs) {
    const parsed = new URL(url);
    this.host = parsed.hostname || '127.0.0.1';
    this.port = Number(parsed.port || 6379);
    this.password = decodeURIComponent(parsed.password);
    this.db = Number(parsed.pathname.slice(1) || 0);
    this.timeoutMs = timeoutMs;
    this.socket = null;
    this.ready = false;
    this.pending = [];
    this.buffer = Buffer.alloc(0);
    this.retryMs = 100;
    this.closed = false;
    this.lastError = '';
    this.reportedDown = false;
  }

  start() {
    this.connect();
  }

  close() {
    this.closed = true;
    this.socket?.destroy();
  }

  get(key) {
    return this.command(['GET', key]);
  }

  async set(key, value, ttlSeconds) {
    await this.command(['SET', key, value, 'EX', ttlSeconds]);
  }

  ping() {
    return this.command(['PING']);
  }

  command(args) {
    if (!this.ready) return Promise.reject(new Error(`Redis is not connected${this.lastError ? ` (${this.lastError})` : ''}`));
    return this.send(args);
  }

  send(args) {
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      // A command with no answer in time means a stuck server: drop the connection, which fails
      // every pending command at once and starts a fresh one.
      const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
      this.pending.push({ resolve, reject, timer });
      socket.write(encodeCommand(args));
    });
  }

  connect() {
    if (this.closed) return;
    const socket = net.createConnection({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.setTimeout(Math.max(this.timeoutMs, 1000), () => {
      if (!this.ready) socket.destroy(new Error('connect timed out'));
    });
    socket.on('connect', () => this.handshake(socket));
    socket.on('data', (chunk) => this.receive(socket, chunk));
    socket.on('error', (err) => {
      this.lastError = err.code ?? err.message;
    });
    socket.on('close', () => this.closedConnection(socket));
  }

  async handshake(socket) {
    try {
      if (this.password) await this.send(['AUTH', this.password]);
      if (this.db) await this.send(['SELECT', this.db]);
      await this.send(['PING']);
    } catch (err) {
      this.lastError = err.message;
      socket.destroy();
      return;
    }
    socket.setTimeout(0);
    this.ready = true;
    this.retryMs = 100;
    this.lastError = '';
    this.reportedDown = false;
    info(NO_CASE, `Connected to Redis at ${this.host}:${this.port}`);
  }

  receive(socket, chunk) {
    if (socket !== this.socket) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      let pos = 0;
      while (this.pending.length) {
        const reply = parseReply(this.buffer, pos);
        if (!reply) break;
        pos = reply[1];
        const entry = this.pending.shift();
        clearTimeout(entry.timer);
        if (reply[0] instanceof RedisReplyError) entry.reject(reply[0]);
        else entry.resolve(reply[0]);
      }
      this.buffer = this.buffer.subarray(pos);
    } catch (err) {
      socket.destroy(err);
    }
  }

  closedConnection(socket) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.ready = false;
    this.buffer = Buffer.alloc(0);
    const reason = new Error(`Redis connection lost (${this.lastError || 'closed'})`);
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(reason);
    }
    if (this.closed) return;
    if (!this.reportedDown) {
      // Once per outage, not once per reconnect attempt.
      warn(
        NO_CASE,
        `Redis at ${this.host}:${this.port} is unavailable (${this.lastError || 'closed'}); reads go to PostgreSQL until it is back`,
      );
      this.reportedDown = true;
    }
    setTimeout(() => this.connect(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, 2000);
  }
}

// ---------------------------------------------------------------------------------------------
// user-service: users in a Map (the "database", with a simulated lookup cost) and cache-aside reads

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function userService() {
  const table = new Map();
  const redis = new RedisLink(config.redisUrl, config.redisTimeoutMs);
  redis.start();

  const db = {
    async get(email) {
      if (config.dbLatencyMs) await sleep(config.dbLatencyMs);
      return table.get(email) ?? null;
    },
    async insert(user) {
      if (config.dbLatencyMs) await sleep(config.dbLatencyMs);
      // The course's INSERT ... ON CONFLICT DO NOTHING: the first row stays, the caller is not told.
      if (!table.has(user.email)) table.set(user.email, user);
      return table.get(user.email);
    },
  };

  function validUser(body) {
    if (!isObject(body)) throw invalid([{ loc: ['body'], msg: 'Input should be a JSON object', type: 'type_error.object' }]);
    const problems = [];
    requireEmail(body.email, ['body', 'email'], problems);
    const availabilities = {};
    if (body.availabilities === undefined) {
      problems.push({ loc: ['body', 'availabilities'], msg: 'Field required', type: 'value_error.missing' });
    } else if (!isObject(body.availabilities)) {
      problems.push({ loc: ['body', 'availabilities'], msg: 'Input should be an object of weekdays', type: 'type_error.object' });
    } else {
      for (const [day, hours] of Object.entries(body.availabilities)) {
        const loc = ['body', 'availabilities', day];
        if (!WEEKDAYS.includes(day)) problems.push({ loc, msg: 'Unknown weekday', type: 'value_error.weekday' });
        else if (!Array.isArray(hours)) problems.push({ loc, msg: 'Input should be a list of hours', type: 'type_error.list' });
        else {
          hours.forEach((hour, i) => {
            if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
              problems.push({ loc: [...loc, i], msg: 'Hour must be an integer from 0 to 23', type: 'value_error.hour' });
            }
          });
          availabilities[day] = hours;
        }
      }
    }
    checkPreference(body.preferences, ['body', 'preferences'], problems);
    if (problems.length) throw invalid(problems);
    const stored = {};
    for (const day of WEEKDAYS) stored[day] = [...new Set(availabilities[day] ?? [])].sort((a, b) => a - b);
    return {
      email: body.email.trim().toLowerCase(),
      availabilities: stored,
      preferences: body.preferences ?? 'first',
      created_at: new Date().toISOString(),
    };
  }

  function pathEmail(raw) {
    const email = decodeSegment(raw);
    if (!isEmail(email)) throw invalid([{ loc: ['path', 'email'], msg: 'Value is not a valid email address', type: 'value_error.email' }]);
    return email.trim().toLowerCase();
  }

  async function cacheAside({ res, caseId, query }) {
    const raw = query.get('user1email');
    const problems = [];
    requireEmail(raw ?? undefined, ['query', 'user1email'], problems);
    if (problems.length) throw invalid(problems);
    const email = raw.trim().toLowerCase();
    const key = `cache_aside_${email.toUpperCase()}`;
    let cached = null;
    let cacheUp = true;
    try {
      cached = await redis.get(key);
    } catch {
      cacheUp = false;
      warn(caseId, 'CACHE ASIDE: Redis unavailable, read from PostgreSQL');
    }
    if (cached !== null) {
      info(caseId, `CACHE ASIDE: CACHE HIT with key ${key} served from Redis`);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(cached), 'Case-ID': caseId });
      res.end(cached);
      return;
    }
    if (cacheUp) info(caseId, `CACHE ASIDE: CACHE MISS for key ${key}, read from PostgreSQL`);
    const user = await db.get(email);
    if (!user) throw new ApiError(404, 'User not found');
    if (cacheUp) {
      try {
        await redis.set(key, JSON.stringify(user), config.ttlSeconds);
      } catch (err) {
        warn(caseId, `CACHE ASIDE: could not write key ${key} to Redis: ${err.message}`);
      }
    }
    sendJson(res, 200, user, caseId);
  }

  serviceServer([
    healthRoute(),
    {
      method: 'POST',
      path: /^\/users$/,
      handle: async ({ req, res, caseId }) => {
        const user = validUser(await readJson(req));
        const stored = await db.insert(user);
        info(caseId, `User ${stored.email} created`);
        sendJson(res, 201, stored, caseId);
      },
    },
    {
      method: 'GET',
      path: /^\/users\/([^/]+)$/,
      handle: async ({ res, caseId, params }) => {
        const user = await db.get(pathEmail(params[0]));
        if (!user) throw new ApiError(404, 'User not found');
        sendJson(res, 200, user, caseId);
      },
    },
    {
      method: 'PUT',
      path: /^\/users\/([^/]+)$/,
      handle: async ({ req, res, caseId, params }) => {
        await readBody(req).catch(() => null);
        // The course's update handler fails on every call, before it writes anything.
        error(caseId, `Exception while updating user ${params[0]}: KeyError: 'preference'`);
        const text = JSON.stringify({ detail: 'Internal Server Error' });
        res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Case-ID': caseId });
        res.end(text);
      },
    },
    {
      method: 'DELETE',
      path: /^\/users\/([^/]+)$/,
      handle: async ({ res, caseId, params }) => {
        const email = pathEmail(params[0]);
        if (!(await db.get(email))) throw new ApiError(404, 'User not found');
        // The course's DELETE never commits its transaction: 204, and the row is still there.
        info(caseId, `User ${email} deleted`);
        res.writeHead(204, { 'Case-ID': caseId });
        res.end();
      },
    },
    { method: 'GET', path: /^\/user-avail\/cache-aside$/, handle: cacheAside },
  ]);
  return () => redis.close();
}

// ---------------------------------------------------------------------------------------------
// availability-service

function commonAvailabilities(a, b) {
  const out = {};
  for (const day of WEEKDAYS) {
    const theirs = new Set(Array.isArray(b?.[day]) ? b[day] : []);
    const mine = Array.isArray(a?.[day]) ? a[day] : [];
    out[day] = [...new Set(mine)].filter((hour) => theirs.has(hour)).sort((x, y) => x - y);
  }
  return out;
}

function availabilityService() {
  const messages = { notFound: 'One or both users not found', unavailable: 'User service is unavailable', error: 'User service error' };
  const handle = async ({ res, caseId, query }) => {
    const { userId1, userId2 } = twoUsers(query, false);
    const read = (email) => getJson(config.userUrl, `/user-avail/cache-aside?user1email=${encodeURIComponent(email)}`, caseId);
    const [a, b] = await downstream([read(userId1), read(userId2)], messages);
    sendJson(
      res,
      200,
      {
        common_availabilities: commonAvailabilities(a.availabilities, b.availabilities),
        user1preference: a.preferences,
        user2preference: b.preferences,
      },
      caseId,
    );
  };
  serviceServer([
    healthRoute(),
    { method: 'GET', path: /^\/availabilities$/, handle },
    { method: 'GET', path: /^\/common_availabilities$/, handle },
  ]);
}

// ---------------------------------------------------------------------------------------------
// suggestion-service

function suggest(common, pref1, pref2, override) {
  const slots = [];
  for (const day of WEEKDAYS) {
    const hours = Array.isArray(common?.[day]) ? [...common[day]].sort((x, y) => x - y) : [];
    for (const hour of hours) slots.push({ day, slot: [hour, hour + 1] });
  }
  if (slots.length === 0) return [];
  const pick = (preference) => {
    if (preference === 'last') return slots[slots.length - 1];
    if (preference === 'random') return slots[Math.floor(Math.random() * slots.length)];
    return slots[0];
  };
  const p1 = override ?? pref1;
  const p2 = override ?? pref2;
  const mine = pick(p1);
  if (p1 === p2) return [mine];
  const theirs = pick(p2);
  return theirs === mine ? [mine] : [mine, theirs];
}

function suggestionService() {
  const messages = {
    notFound: 'One or both users not found',
    unavailable: 'Availability service is unavailable',
    error: 'Availability service error',
  };
  serviceServer([
    healthRoute(),
    {
      method: 'GET',
      path: /^\/suggestions$/,
      handle: async ({ res, caseId, query }) => {
        const { userId1, userId2, preference } = twoUsers(query, true);
        const path = `/availabilities?userId1=${encodeURIComponent(userId1)}&userId2=${encodeURIComponent(userId2)}`;
        const [common] = await downstream([getJson(config.availabilityUrl, path, caseId)], messages);
        const suggestions = suggest(common.common_availabilities, common.user1preference, common.user2preference, preference);
        sendJson(res, 200, { case_id: caseId, suggestions }, caseId);
      },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// worker-service: no broker; jobs wait in memory (bounded) and a few run at a time

function workerService() {
  const waiting = [];
  let running = 0;

  async function runJob(job) {
    const params = new URLSearchParams({ userId1: job.userId1, userId2: job.userId2 });
    if (job.preference) params.set('preference', job.preference);
    try {
      const res = await getJson(config.suggestionUrl, `/suggestions?${params}`, job.caseId);
      if (res.status === 200 && Array.isArray(res.body?.suggestions)) {
        info(job.caseId, `Job ${job.id} done: ${res.body.suggestions.length} suggestions`);
      } else {
        warn(job.caseId, `Job ${job.id} failed: suggestion-service answered ${res.status}`);
      }
    } catch (err) {
      warn(job.caseId, `Job ${job.id} failed: ${err.message}`);
    }
  }

  function pump() {
    while (running < config.workerConcurrency && waiting.length) {
      const job = waiting.shift();
      running++;
      runJob(job).finally(() => {
        running--;
        pump();
      });
    }
  }

  serviceServer([
    healthRoute(),
    {
      method: 'POST',
      path: /^\/tasks$/,
      handle: async ({ req, res, caseId }) => {
        const body = await readJson(req);
        if (!isObject(body)) throw invalid([{ loc: ['body'], msg: 'Input should be a JSON object', type: 'type_error.object' }]);
        const problems = [];
        requireEmail(body.userId1, ['body', 'userId1'], problems);
        requireEmail(body.userId2, ['body', 'userId2'], problems);
        checkPreference(body.preference, ['body', 'preference'], problems);
        if (problems.length) throw invalid(problems);
        if (waiting.length >= config.maxQueuedJobs) throw new ApiError(503, `Too many jobs waiting (${waiting.length}); try again later`);
        const id = randomUUID();
        waiting.push({ id, caseId, userId1: body.userId1, userId2: body.userId2, preference: body.preference });
        info(caseId, `Job ${id} accepted (${waiting.length} waiting, ${running} running)`);
        sendJson(res, 202, { case_id: caseId, status: 'enqueued', job_id: id }, caseId);
        setImmediate(pump);
      },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// gateway: prefix routing with the prefix stripped, Case-ID set when missing

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'expect',
]);

function gateway() {
  const upstreams = {
    users: config.userUrl,
    availability: config.availabilityUrl,
    suggestion: config.suggestionUrl,
    worker: config.workerUrl,
  };
  const gatewayError = (status, msg) => new ApiError(status, msg, [{ loc: ['gateway'], msg, type: 'http_error' }]);

  async function proxy(req, res, caseId) {
    const target = req.url ?? '/';
    if ((req.method === 'GET' || req.method === 'HEAD') && splitTarget(target).path === '/health') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2, 'Case-ID': caseId });
      res.end('ok');
      return;
    }
    const match = /^\/([^/?]+)(\/.*)$/.exec(target);
    const base = match ? upstreams[match[1]] : undefined;
    if (!base) throw gatewayError(404, 'No service at this path: use /users/, /availability/, /suggestion/ or /worker/');
    const body = await readBody(req);
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && name !== 'case-id' && name !== 'content-length') headers[name] = value;
    }
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
    const hasBody = body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method);
    let answer;
    try {
      answer = await call(base, match[2], {
        method: req.method,
        caseId,
        headers,
        body: hasBody ? body : undefined,
        timeoutMs: config.upstreamTimeoutMs * 3,
      });
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      warn(caseId, `${req.method} ${target}: ${err.message}`);
      throw err.timedOut
        ? gatewayError(504, 'The service did not answer in time')
        : gatewayError(502, 'No replica of the service answered');
    }
    const out = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_BY_HOP.has(name) && name !== 'content-length') out[name] = value;
    }
    out['case-id'] ??= caseId;
    out['x-upstream'] = new URL(base).host;
    if (answer.status !== 204 && answer.status !== 304) out['content-length'] = answer.body.length;
    res.writeHead(answer.status, out);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  }

  startServer(async (req, res) => {
    const caseId = caseIdOf(req);
    logWhenDone(res, caseId, (ms) => `${req.method} ${req.url} -> ${res.statusCode} (${ms.toFixed(2)} ms)`);
    try {
      await proxy(req, res, caseId);
    } catch (err) {
      if (err instanceof ApiError) {
        sendError(res, err.status === 413 ? gatewayError(413, err.message) : err, caseId);
        return;
      }
      error(caseId, `Unhandled error in ${req.method} ${req.url}: ${err?.stack ?? err}`);
      sendError(res, gatewayError(500, 'Internal gateway error'), caseId);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Start the role; stop cleanly on SIGTERM/SIGINT; never die of one bad request

process.on('uncaughtException', (err) => error(NO_CASE, `Uncaught exception: ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => error(NO_CASE, `Unhandled rejection: ${err?.stack ?? err}`));

const cleanups = [];
if (ROLE === 'user-service') cleanups.push(userService());
else if (ROLE === 'availability-service') availabilityService();
else if (ROLE === 'suggestion-service') suggestionService();
else if (ROLE === 'worker-service') workerService();
else gateway();

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  info(NO_CASE, `Received ${signal}, shutting down`);
  for (const cleanup of cleanups) cleanup();
  agent.destroy();
  setTimeout(() => process.exit(0), 2000).unref();
  if (logStream) logStream.end(() => process.exit(0));
  else process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
