import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandAnswer, CommandOptions } from '../commands/case-commands.ts';
import { InvalidInputError } from '../commands/errors.ts';

/** `If-Match: "3"` (or `W/"3"`, or `3`) → 3; `*` or absent → undefined. */
export function ifMatch(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(-?\d{1,15})"?\s*$/.exec(raw);
  if (!m) throw new InvalidInputError([{ path: 'If-Match', message: 'expected "<revision>"' }]);
  return Number(m[1]);
}

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!key || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new InvalidInputError([{ path: 'Idempotency-Key', message: 'expected 1 to 200 visible ASCII characters' }]);
  }
  return key;
}

export const commandOptions = (request: FastifyRequest): CommandOptions => ({
  expectedRevision: ifMatch(request),
  idempotencyKey: idempotencyKey(request),
});

export function sendAnswer(reply: FastifyReply, answer: CommandAnswer, status = 200) {
  const { created, ...rest } = answer;
  return reply
    .code(status)
    .header('ETag', `"${answer.revision}"`)
    .send({ ...rest, ...created });
}

/** Opaque list cursors: an offset, so a client cannot rely on their shape. */
export const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');
export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new InvalidInputError([{ path: 'cursor', message: 'not a cursor from this API' }]);
  return Number(m[1]);
}

export function page<T>(all: readonly T[], limit: number, cursor: string | undefined) {
  const offset = decodeCursor(cursor);
  const items = all.slice(offset, offset + limit);
  return { items, nextCursor: offset + limit < all.length ? encodeCursor(offset + limit) : null };
}
