// A small servable build for the subscription tests and bench, cut from a real build: the pages the gate
// draws into and the two public lists discovery reads; "publishing" an update the way a rebuild does;
// subscribers added in bulk.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FILES } from '../../src/lib/routing/urls.ts';
import type { Queryable } from '../../src/gate/db.ts';

const KEPT = ['index.html', 'subscribe/index.html', 'access/index.html'];

/** A folder holding what the gate serves and reads of `exampleDist`. */
export function smallDist(exampleDist: string): string {
	const dist = mkdtempSync(join(tmpdir(), 'subs-dist-'));
	for (const file of [...KEPT, FILES.jsonFeed, FILES.subprocessorsJson]) {
		mkdirSync(dirname(join(dist, file)), { recursive: true });
		cpSync(join(exampleDist, file), join(dist, file));
	}
	return dist;
}

interface FeedItem {
	id: string;
	url: string;
	title: string;
	summary: string;
	date_published: string;
	tags?: string[];
	_trust_center?: { subprocessors: string[] };
}

/**
 * Adds an update of `kind` to the build's feed, written beside it and renamed into place as a build would;
 * `subprocessors`: the public ids a subprocessor-change notice announces.
 */
export function publishUpdate(
	dist: string,
	slug: string,
	kind: string,
	title: string,
	subprocessors: string[] = [],
): void {
	const path = join(dist, FILES.jsonFeed);
	const feed = JSON.parse(readFileSync(path, 'utf8')) as { items: FeedItem[] };
	const origin = new URL(feed.items[0]!.url).origin;
	const url = `${origin}/updates/${slug}/`;
	feed.items.unshift({
		id: url,
		url,
		title,
		summary: `${title}: what changed and what it means for you.`,
		date_published: '2026-12-01T00:00:00.000Z',
		tags: [kind],
		...(subprocessors.length > 0 && { _trust_center: { subprocessors } }),
	});
	writeFileSync(`${path}.tmp`, JSON.stringify(feed));
	renameSync(`${path}.tmp`, path);
}

/** Adds `n` confirmed subscribers `sub<i>@load.example` to every topic, straight into the database. */
export async function addActiveSubscribers(db: Queryable, n: number): Promise<void> {
	await db.query(
		`INSERT INTO subscribers (id, email, topics, state, created_at, created_ip, created_user_agent, confirmed_at)
		SELECT 'sub_' || lpad(to_hex(i), 16, '0'), 'sub' || i || '@load.example', ARRAY['all'], 'active', now(), '127.0.0.1', 'test', now()
		FROM generate_series(1, $1::int) AS i`,
		[n],
	);
}

/**
 * Resolves once the outbox has no mail left to send (queued or being sent) and the server has answered
 * every mail committed as sent: a row is committed as sent just before the end of its message goes out,
 * so until the reply is recorded the server may not have the message yet.
 */
export async function outboxDrained(db: Queryable, timeoutMs = 120_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const { rows } = await db.query<{ n: number }>(
			"SELECT count(*)::int AS n FROM mail_outbox WHERE state IN ('queued', 'sending') OR (state = 'sent' AND reply IS NULL)",
		);
		if (rows[0]?.n === 0) return;
		if (Date.now() > end) throw new Error(`${rows[0]?.n} mails still in the outbox`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
