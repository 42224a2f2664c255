// Rate limits: hits are counted in the database (services/rate-limits.ts) so every replica shares them,
// and a request past its limit is refused with 429 and Retry-After.
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';
import { readerRefusal } from '../errors.ts';
import type { Gate } from '../services/gate.ts';
import { hit, type Limit } from '../services/rate-limits.ts';

/** Counts one hit for `key`, and refuses the request when that passes `limit`. */
export async function enforceLimit(
	gate: Pick<Gate, 'db' | 'now'>,
	key: string,
	limit: Limit,
): Promise<void> {
	const result = await hit(gate.db, key, limit, gate.now());
	if (result.ok) return;
	throw readerRefusal(
		429,
		'rate-limited',
		{
			title: 'gateRefusal.tooManyTitle',
			message: 'gateRefusal.tooMany',
			values: { count: Math.ceil(result.retryAfter / 60) },
		},
		{ headers: { 'Retry-After': String(result.retryAfter) } },
	);
}

/** The same as middleware, counting under the key `keyOf` makes from the request (such as `page-ip:<address>`). */
export function rateLimit(
	gate: Pick<Gate, 'db' | 'now'>,
	limit: Limit,
	keyOf: (c: Context<Env>) => string,
): MiddlewareHandler<Env> {
	return createMiddleware<Env>(async (c, next) => {
		await enforceLimit(gate, keyOf(c), limit);
		await next();
	});
}
