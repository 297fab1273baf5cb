import { hostname } from 'node:os';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { sanitizeCaseId } from './case-id.js';
import { errorBody, HttpError, httpErrorDetail, type ErrorDetail } from './errors.js';
import { ServerTiming } from './server-timing.js';
import { registerDocs } from './docs.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The sanitised Case-ID; equal to request.id. */
    caseId: string;
    timing: ServerTiming;
    startedAt: bigint;
  }
}

export interface AppOptions {
  service: string;
  instance?: string;
  logLevel?: string;
  /** A writable stream for the logs, for tests; stdout by default. */
  logStream?: NodeJS.WritableStream;
  description?: string;
}

/** The contract: bodies over 64 KiB are refused with 413. */
export const BODY_LIMIT = 64 * 1024;

function validationDetail(error: FastifyError): ErrorDetail[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const path = v.instancePath.split('/').filter(Boolean);
    const params = v.params as { missingProperty?: string; additionalProperty?: string };
    const field = params.missingProperty ?? params.additionalProperty;
    return {
      loc: [context, ...path, ...(field ? [field] : [])],
      msg: v.message ?? 'invalid value',
      type: `value_error.${v.keyword}`,
    };
  });
}

/**
 * A Fastify instance with what every W2Meet service shares: Case-ID as the request id, structured
 * logs with one request-completed line, X-Instance and Server-Timing headers, the contract's error
 * shape for every error, and the OpenAPI docs at /docs. Services add their routes to it.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const instance = options.instance || hostname();
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      base: { service: options.service, instance },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // The request id is the Case-ID, logged as case_id; one request-completed line is ours (below).
    logController: new LogController({ requestIdLogLabel: 'case_id', disableRequestLogging: true }),
    genReqId: (req) => sanitizeCaseId(req.headers['case-id']),
    bodyLimit: BODY_LIMIT,
    // Fastify's default (100) turned every valid email longer than 100 characters into a 404 in
    // `/users/{email}`; an email of 254 characters, each percent-encoded up to 12 long, fits.
    maxParamLength: 254 * 12,
    // Unknown properties must be reported, not silently dropped; JSON types are never coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A URL that cannot be decoded never reaches a route or a hook: answer it in the contract's shape.
    frameworkErrors: (error, request, rawReply) => {
      const caseId = sanitizeCaseId(request.headers['case-id']);
      const reply = rawReply as unknown as FastifyReply;
      reply
        .code(400)
        .header('Case-ID', caseId)
        .header('X-Instance', instance)
        .send(errorBody(caseId, [{ loc: ['path'], msg: `Malformed URL: ${error.message}`, type: 'value_error.url' }]));
    },
    // Headers too large (or a request Node cannot parse at all) end before Fastify has a request:
    // the answer is written on the socket, still in the contract's shape with a Case-ID.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return socket.destroy();
      const tooLarge = (error as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW';
      const [status, reason, msg] = tooLarge
        ? [431, 'Request Header Fields Too Large', 'Request headers are too large']
        : [400, 'Bad Request', 'Malformed request'];
      const caseId = sanitizeCaseId(undefined);
      const body = JSON.stringify(errorBody(caseId, [{ loc: ['headers'], msg, type: 'http_error' }]));
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nCase-ID: ${caseId}\r\n` +
          `X-Instance: ${instance}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });

  app.decorateRequest('caseId', '');
  app.decorateRequest('timing', null as unknown as ServerTiming);
  app.decorateRequest('startedAt', 0n);

  app.addHook('onRequest', async (request, reply) => {
    request.startedAt = process.hrtime.bigint();
    request.caseId = request.id;
    request.timing = new ServerTiming();
    reply.header('Case-ID', request.caseId);
    reply.header('X-Instance', instance);
  });

  app.addHook('onSend', async (request, reply) => {
    if (!request.timing) return;
    const appMs = Number(process.hrtime.bigint() - request.startedAt) / 1e6;
    reply.header('Server-Timing', request.timing.header(appMs));
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        duration_ms: Number((Number(process.hrtime.bigint() - request.startedAt) / 1e6).toFixed(3)),
        // The parts of the time (Redis, Postgres, downstream calls), so a trace can show where it went.
        server_timing: reply.getHeader('server-timing'),
      },
      'request completed',
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const caseId = request.caseId || request.id;
    if (error.validation) {
      return reply.code(400).send(errorBody(caseId, validationDetail(error)));
    }
    if (error instanceof HttpError) {
      if (error.statusCode >= 500)
        request.log.warn({ err: error.message, ...(error.cause instanceof Error ? { cause: error.cause.message } : {}) }, 'request failed');
      return reply.code(error.statusCode).send(errorBody(caseId, error.detail));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: bad JSON, body too large, wrong content type.
      const msg = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request body is larger than 64 KiB' : error.message;
      return reply.code(status).send(errorBody(caseId, httpErrorDetail(msg)));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody(caseId, httpErrorDetail('Internal server error')));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(request.caseId || request.id, httpErrorDetail('Not Found')));
  });

  registerDocs(app, options.service, options.description ?? '');
  return app;
}
