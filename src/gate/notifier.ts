// Subscriptions in a serving gate: the sender, and discovery of new items at start and whenever the
// build in dist/ changes (a rebuild, or another build moved into its place). `npm run gate -- notify`
// runs the same discovery on demand.
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FILES } from '../lib/routing/urls.ts';
import type { GateSettings } from './config.ts';
import type { Log } from './log.ts';
import { folderTransport, smtpTransport } from './mail/delivery.ts';
import { startSender } from './mail/sender.ts';
import { describeDiscovery, discover } from './services/notify.ts';
import type { Gate } from './services/gate.ts';

/** Quiet time after the last change in dist/ before it is read: a build writes many files. */
const SETTLE_MS = 1500;
/** A build read half-written is read again this much later, a few times. */
const RETRY_MS = 5000;
const RETRIES = 12;

/** What identifies the items' files of a build: their size and modification time. */
function fingerprint(dist: string): string {
	return [FILES.jsonFeed, FILES.subprocessorsJson]
		.map((file) => {
			const path = join(dist, file);
			if (!existsSync(path)) return 'missing';
			const s = statSync(path);
			return `${s.size}:${s.mtimeMs}:${s.ino}`;
		})
		.join('|');
}

/**
 * Starts the sender and discovery for a serving gate; resolves once the first discovery has run.
 * `busy` says whether the gate is answering requests now, which the sender gives way to.
 */
export async function startNotifier(
	gate: Gate,
	settings: GateSettings,
	log: Log,
	busy: () => boolean = () => false,
): Promise<{ close(): Promise<void> }> {
	const transport = settings.smtpUrl
		? smtpTransport(settings.smtpUrl, {
				connections: settings.mail.connections,
				name: new URL(gate.publicUrl).hostname,
			})
		: folderTransport(join(settings.dataDir, 'outbox'));
	const sender = startSender(gate, transport, settings.mail, log, busy);
	gate.onQueued = () => sender.wake();

	let seen = '';
	let retries = 0;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();
	let closed = false;
	const look = async () => {
		const now = fingerprint(gate.dist);
		if (now === seen) return;
		try {
			const report = await discover(gate, 'gate');
			seen = now;
			retries = 0;
			// A subprocessor deleted instead of marked removed is a notice nobody got: the team must hear of it.
			log(report.vanished.length > 0 ? 'warn' : 'info', describeDiscovery(report), {
				newItems: report.found.length,
				mails: report.found.reduce((n, f) => n + f.recipients, 0),
				vanished: report.vanished.length,
			});
		} catch (error) {
			const message = (error as Error).message;
			if (++retries > RETRIES) {
				log(
					'warn',
					`subscriptions: could not read the build (${message}); looking again on its next change`,
				);
				retries = 0;
				return;
			}
			log('info', `subscriptions: the build is not readable yet (${message}); looking again soon`);
			schedule(RETRY_MS);
		}
	};
	const schedule = (ms: number) => {
		if (closed) return;
		clearTimeout(timer);
		timer = setTimeout(() => {
			running = running.then(look);
		}, ms).unref();
	};

	// dist/ itself, for a rebuild writing into it; its parent, for a build moved into its place.
	const watchers: FSWatcher[] = [];
	const watchDist = () => {
		try {
			const w = watch(gate.dist, () => schedule(SETTLE_MS));
			w.on('error', () => {});
			watchers.push(w);
		} catch (error) {
			log(
				'warn',
				`subscriptions: cannot watch ${gate.dist} for rebuilds (${(error as Error).message}); use npm run gate -- notify after a build`,
			);
		}
	};
	watchDist();
	try {
		const parent = watch(dirname(gate.dist), (_event, name) => {
			if (name !== basename(gate.dist)) return;
			for (const w of watchers.splice(1)) w.close();
			watchDist();
			schedule(SETTLE_MS);
		});
		parent.on('error', () => {});
		watchers.unshift(parent);
	} catch {
		// The parent cannot be watched (a read-only mount): rebuilds in place are still seen.
	}

	running = look();
	await running;
	return {
		async close() {
			closed = true;
			clearTimeout(timer);
			for (const w of watchers) w.close();
			await running;
			gate.onQueued = () => {};
			await sender.close();
		},
	};
}
