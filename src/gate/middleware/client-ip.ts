// Who is asking: the client's address, for the request log, the rate limits and the audit log.
import { isIP, isIPv6 } from 'node:net';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';

/**
 * What rate limits count an address under: an IPv4 address as it is (also when written as IPv6,
 * `::ffff:203.0.113.7`), an IPv6 address by its /64, which one household or one server usually holds
 * whole (`2001:db8:1:2::/64`), so that stepping through the addresses of one's own /64 is one client.
 */
export function ipBlock(ip: string): string {
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
	if (mapped) return mapped[1]!;
	if (!isIPv6(ip)) return ip;
	// Written out in eight groups: "::" stands for as many zero groups as are missing, and an IPv4 tail
	// (64:ff9b::192.0.2.1) fills two; the first four are the /64.
	const [head = '', tail] = ip.replace(/%.*$/, '').split('::');
	const split = (part: string) => (part ? part.split(':') : []);
	const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
	const [first, last] = [split(head), split(tail ?? '')];
	const groups =
		tail === undefined
			? first
			: [...first, ...Array<string>(8 - first.length - width(last)).fill('0'), ...last];
	return `${groups
		.slice(0, 4)
		.map((g) => parseInt(g, 16).toString(16))
		.join(':')}::/64`;
}

/** An X-Forwarded-For entry without the port some proxies add (Azure's `203.0.113.7:51234`, `[2001:db8::1]:443`). */
function withoutPort(entry: string | undefined): string | undefined {
	if (entry === undefined) return undefined;
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
	if (bracketed) return bracketed[1];
	const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
	return v4 ? v4[1] : entry;
}

/**
 * Sets `ip` (and `ipBlock`) to the socket's address or, behind `trustProxy` reverse proxies, to the address the
 * outermost trusted proxy saw. Addresses further left in X-Forwarded-For are the client's to forge. An entry
 * there that is not an IP address is not taken (the socket's address counts instead), and `warn` is told
 * once; so is X-Forwarded-For arriving while no proxy is trusted, the sign of a GATE_TRUST_PROXY left at 0
 * behind a proxy, which makes every visitor one client to the rate limits.
 */
export function clientIp(trustProxy: number, warn: (message: string) => void) {
	const told = new Set<string>();
	const once = (key: string, message: string) => {
		if (told.has(key)) return;
		told.add(key);
		warn(message);
	};
	return createMiddleware<Env>(async (c, next) => {
		const socketIp = c.env.incoming.socket.remoteAddress ?? 'unknown';
		let ip = socketIp;
		const forwarded = c.req.header('x-forwarded-for');
		if (trustProxy > 0) {
			const chain = (forwarded ?? '')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			const entry = withoutPort(chain[chain.length - trustProxy]);
			if (entry !== undefined && isIP(entry)) ip = entry;
			else if (entry !== undefined)
				once(
					'not-ip',
					`X-Forwarded-For holds something other than an IP address where GATE_TRUST_PROXY=${trustProxy} points (entry ${trustProxy} from the right); such requests are counted by the address that connected. Check that only your proxies reach the gate and that GATE_TRUST_PROXY counts them.`,
				);
		} else if (forwarded !== undefined)
			once(
				'untrusted',
				`A request from ${socketIp} came with X-Forwarded-For, and GATE_TRUST_PROXY is 0, so clients are counted by the address that connected. If that address is a proxy of yours, every visitor is one client to the rate limits: set GATE_TRUST_PROXY to the number of proxies in front of the gate. If the gate has no proxy in front, leave it at 0: the header is then the client's to forge.`,
			);
		c.set('ip', ip);
		c.set('ipBlock', ipBlock(ip));
		await next();
	});
}
