/**
 * No 5xx from a string PostgreSQL cannot store: a NUL (U+0000) or a lone surrogate in a path
 * parameter, a query parameter or a request body other than a message is refused with 400 before
 * any handler reads the database (docs/standard/conformance.md §8a states the rule for documents;
 * a message body is the validator's business: 422 `unstorable-character` at its pointer, in every
 * version of the standard).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unstorableStrings } from '@jiexu/standard';
import type { ProblemCode } from '@jiexu/client';

/** Where a request carries an unstorable string, e.g. `path parameter caseId`, or undefined. */
export function unstorablePart(req: Pick<FastifyRequest, 'params' | 'query' | 'body' | 'routeOptions'>): string | undefined {
  const parts: Array<[string, unknown]> = [
    ['path parameter', req.params],
    ['query parameter', req.query],
  ];
  // a message's body is checked by the validator (422 with the issue at its pointer)
  if (req.routeOptions.url !== '/v1/messages') parts.push(['body', req.body]);
  for (const [what, value] of parts) {
    const [found] = unstorableStrings(value);
    if (found) return `${what} ${found.pointer || '/'} holds ${found.character}, a character that cannot be stored`;
  }
  return undefined;
}

/** Registers the check as a preHandler: after the request's signature is verified, before the route. */
export function refuseUnstorableStrings(app: FastifyInstance): void {
  app.addHook('preHandler', async (req, reply) => {
    if (reply.sent) return;
    const where = unstorablePart(req);
    if (where) return reply.code(400).type('application/json').send({ error: 'bad-request', message: `${where} (NUL and lone surrogates are refused)` } satisfies { error: ProblemCode; message: string });
  });
}
