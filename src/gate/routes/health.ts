// GET /healthz for load balancers: 200 while the gate serves and its database answers (the site alone,
// without a gate, has none to ask), 503 otherwise.
import { Hono } from 'hono';
import type { Env } from '../context.ts';
import { within } from '../lib/deadline.ts';
import type { Gate } from '../services/gate.ts';

/**
 * How long the check waits for the database (ms): a load balancer's own timeout is often 5 s, and a
 * database that does not answer must read as down, not as a check that hangs.
 */
export const HEALTH_TIMEOUT_MS = 2_000;

/** `state.draining` turns the check to 503 while the server shuts down, so load balancers stop sending. */
export function healthRoutes(gate: Gate | undefined, state: { draining: boolean }): Hono<Env> {
	const routes = new Hono<Env>();
	routes.get('/healthz', async (c) => {
		if (state.draining) return c.json({ status: 'draining' }, 503);
		if (!gate) return c.json({ status: 'ok', gate: 'off' });
		try {
			await within(gate.db.query('SELECT 1'), HEALTH_TIMEOUT_MS, 'the database check');
			return c.json({ status: 'ok', database: gate.db.kind });
		} catch {
			return c.json({ status: 'database unavailable', database: gate.db.kind }, 503);
		}
	});
	return routes;
}
