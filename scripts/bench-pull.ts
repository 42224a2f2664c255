// npm run bench:pull: time the control-status pull for a 2,000-control OSCAL document and for a
// paginated HTTP source of the same size, both on loopback. Prints the figures; asserts nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { pullControls } from '../src/lib/pull/run.ts';
import { medianBy } from './lib/bench/report.ts';
import { fixtureContent, makeSite, removeSite } from './lib/site-copy.ts';
import { strayArgument } from './lib/bench/cli.ts';

const args = process.argv.slice(2);
const flag = args.indexOf('--controls');
const raw = flag === -1 ? '2000' : (args[flag + 1] ?? '');
const COUNT = Number(raw);
const PAGE_SIZE = 100;
const RUNS = 5;
/** Above this the generated catalog and OSCAL document outgrow the machine's memory: surely a typo. */
const MAX_CONTROLS = 200_000;
const stray = strayArgument(args, '--controls');
if (stray !== undefined) {
	console.error(
		`npm run bench:pull: ${JSON.stringify(stray)} is not a flag; it takes --controls N alone, e.g. --controls 2000.`,
	);
	process.exit(2);
}
if (!/^\d+$/.test(raw) || COUNT < 1 || COUNT > MAX_CONTROLS) {
	console.error(
		`--controls: expected a whole number of controls from 1 to ${MAX_CONTROLS}, like --controls 2000, received "${raw}".`,
	);
	process.exit(1);
}

const ids = Array.from({ length: COUNT }, (_, i) => `B.${i + 1}`);
const statuses = ['implemented', 'implemented', 'implemented', 'partial', 'not-applicable'];

/** Generate: a site copy with a catalog of COUNT controls and an OSCAL assessment-results document. */
function generate(): string {
	const dir = makeSite('bench-pull', { content: fixtureContent('minimal') });
	const content = join(dir, 'content');
	writeFileSync(
		join(content, 'catalogs/bench.yaml'),
		stringify({
			id: 'bench',
			name: 'Bench',
			controls: ids.map((id, i) => ({
				id,
				title: `Control ${i}`,
				domain: `D${i % 10}`,
				description: 'Generated.',
			})),
		}),
	);
	mkdirSync(join(content, 'exports'));
	const observations = ids.map((_, i) => ({
		uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		methods: ['TEST'],
		collected: '2026-11-20T06:00:00Z',
	}));
	const findings = ids.map((id, i) => ({
		uuid: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		title: id,
		description: 'Generated finding.',
		target: {
			type: 'objective-id',
			'target-id': `${id}_obj`,
			status: { state: i % 7 === 0 ? 'not-satisfied' : 'satisfied' },
		},
		'related-observations': [{ 'observation-uuid': observations[i]!.uuid }],
	}));
	const ar = {
		'assessment-results': {
			uuid: '20000000-0000-4000-8000-000000000000',
			metadata: {
				title: 'Bench',
				'last-modified': '2026-11-20T06:00:00Z',
				version: '1',
				'oscal-version': '1.1.2',
			},
			'import-ap': { href: '#' },
			results: [
				{
					uuid: '30000000-0000-4000-8000-000000000000',
					title: 'Bench',
					description: 'Bench',
					start: '2026-11-01T00:00:00Z',
					observations,
					findings,
				},
			],
		},
	};
	writeFileSync(join(content, 'exports/ar.json'), JSON.stringify(ar));
	return dir;
}

function configure(dir: string, sources: unknown[]): void {
	const path = join(dir, 'content/site.yaml');
	const site = parse(readFileSync(path, 'utf8'));
	site.controlStatus = { sources };
	writeFileSync(path, stringify(site));
}

/** Measure: the median of RUNS pulls, in milliseconds. */
async function time(dir: string): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		const outcome = await pullControls({ root: dir, log: () => {} });
		times.push(performance.now() - start);
		// After the first run the sources say the same, so the snapshot is left as it is.
		if (outcome.status !== 'written' && outcome.status !== 'unchanged')
			throw new Error(`pull did not complete: ${JSON.stringify(outcome)}`);
	}
	return medianBy(times, (t) => t)!;
}

const dir = generate();
const server = createServer((req, res) => {
	const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? 1);
	const items = ids
		.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
		.map((ref, i) => ({ ref, state: statuses[i % statuses.length], tested: '2026-11-20' }));
	res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: items }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/controls`;
try {
	console.log(`Pulling ${COUNT} controls, median of ${RUNS} runs each…`);
	configure(dir, [{ id: 'oscal', kind: 'oscal', catalog: 'bench', location: 'exports/ar.json' }]);
	const oscal = await time(dir);
	configure(dir, [
		{
			id: 'api',
			kind: 'http',
			catalog: 'bench',
			url,
			itemsPath: 'data',
			fields: { id: 'ref', status: 'state', evidenceDate: 'tested' },
			pagination: { type: 'page-param', param: 'page', start: 1 },
		},
	]);
	const http = await time(dir);
	const pages = Math.ceil(COUNT / PAGE_SIZE) + 1;
	console.log('');
	console.log(`| source | controls | median pull time |`);
	console.log(`| --- | --- | --- |`);
	console.log(
		`| OSCAL assessment results (file, ${(readFileSync(join(dir, 'content/exports/ar.json')).length / 1024).toFixed(0)} KiB) | ${COUNT} | ${oscal.toFixed(0)} ms |`,
	);
	console.log(
		`| HTTP JSON API on loopback, ${pages} pages of ${PAGE_SIZE} | ${COUNT} | ${http.toFixed(0)} ms |`,
	);
} finally {
	server.close();
	removeSite(dir);
}
