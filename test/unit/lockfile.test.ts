import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` refuses a lock file that lacks an entry for any optional dependency, even one for
 * another platform. A registry mirror without those platform packages makes `npm install`
 * drop them silently, and CI then fails in two seconds. This catches it before a push.
 */
describe('package-lock.json', () => {
	it('has an entry for every optional dependency it names', () => {
		const lock = JSON.parse(
			readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'),
		) as {
			packages: Record<string, { optionalDependencies?: Record<string, string> }>;
		};
		const missing: string[] = [];
		for (const [path, entry] of Object.entries(lock.packages)) {
			for (const name of Object.keys(entry.optionalDependencies ?? {})) {
				const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
				if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`])
					missing.push(`${name} (wanted by ${path || 'the project'})`);
			}
		}
		expect(missing).toEqual([]);
	});
});
