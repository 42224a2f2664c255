// GET /healthz for load balancers: 200 while the gate serves and its database answers (the site alone,
// without a gate, has none to ask), 503 otherwise.
import { Hono } from 'hono';
import type { Env } from '../context.ts';
import type { Gate } from '../services/gate.ts';

/** `state.draining` turns the check to 503 while the server shuts down, so load balancers stop sending. */
export function healthRoutes(gate: Gate | undefined, state: { draining: boolean }): Hono<Env> {
	const routes = new Hono<Env>();
	routes.get('/healthz', async (c) => {
		if (state.draining) return c.json({ status: 'draining' }, 503);
		if (!gate) return c.json({ status: 'ok', gate: 'off' });
		try {
			await gate.db.query('SELECT 1');
			return c.json({ status: 'ok', database: gate.db.kind });
		} catch {
			return c.json({ status: 'database unavailable', database: gate.db.kind }, 503);
		}
	});
	return routes;
}
