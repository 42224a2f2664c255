// Finding what is new in the build the gate serves, and queueing its mails: one outbox row per item per
// confirmed subscriber of its topic, in the transaction that records the item. An item is recorded once
// (its id is the primary key), so the same build served twice, a restart, or two replicas looking at once
// queue nothing twice. The first look at a site records its history without mailing any of it.
import type { Queryable } from '../db.ts';
import {
	readBuildItems,
	type BuildItem,
	type SubprocessorItem,
	type UpdateItem,
} from '../lib/build-items.ts';
import { byCodeUnits } from '../../lib/routing/order.ts';
import { descriptorId, earlierPublicId } from '../../lib/subprocessors.ts';
import { appendAudit } from './audit.ts';
import type { Gate } from './gate.ts';
import { subscriptionSecrets } from './subscribers.ts';

/** Serialises discoveries across replicas, so one of them records the site's history. */
export const NOTIFY_LOCK = 7_240_012;

/** An item a discovery found new, and how many mails it queued (or would queue, in a dry run). */
export interface FoundItem {
	id: string;
	topic: string;
	/** The update's title or the subprocessor's public name. */
	title: string;
	recipients: number;
	/** For a subprocessor change a notice new with it announces: that notice, whose mail carries it (it has none of its own). */
	mailedWith?: string;
}

/** What one discovery did. */
export interface DiscoveryReport {
	/** The first discovery on this database: `history` items were recorded as already known, none mailed. */
	firstRun: boolean;
	history: number;
	/** Items new since the last discovery, each with its mails queued. */
	found: FoundItem[];
	/**
	 * Subprocessors recorded as added that are gone from the list without a removal (their entry deleted
	 * instead of marked removed, or renamed), each reported by the first look that finds it. Empty on a
	 * first look.
	 */
	vanished: VanishedSubprocessor[];
	dryRun: boolean;
}

/** A subprocessor the gate knew that left the public list unannounced. */
export interface VanishedSubprocessor {
	/** Its public id, as /subprocessors.json published it. */
	id: string;
	/** Its public name (the descriptor, for one named only under NDA). */
	name: string;
	/** The item its addition was recorded as, which the audit entry of its going names. */
	itemId: string;
}

/** The audit entry that a look found a subprocessor gone without a removal, so later looks do not repeat it. */
const GONE = 'subscriptions.subprocessor-gone';

/**
 * The subprocessors this database last recorded as added (after any recorded removal) whose public id
 * is in none of the build's items, and that no earlier look reported: deleted from the content instead
 * of marked removed, or renamed.
 */
async function vanishedSubprocessors(
	q: Queryable,
	items: readonly BuildItem[],
): Promise<VanishedSubprocessor[]> {
	const listed = new Set(
		items.filter((i) => i.payload.type === 'subprocessor').map((i) => itemParts(i.id).id),
	);
	const reported = new Set(
		(
			await q.query<{ subject: string }>('SELECT subject FROM audit_log WHERE type = $1', [GONE])
		).rows.map((r) => r.subject),
	);
	// Per public id, its latest addition and latest removal (`subprocessor:<id>:<change>:<YYYY-MM-DD>`).
	const latest = new Map<
		string,
		{ added?: VanishedSubprocessor; addedOn: string; removedOn: string }
	>();
	for (const row of await recordedSubprocessors(q)) {
		const entry = latest.get(row.id) ?? { addedOn: '', removedOn: '' };
		if (row.change === 'added' && row.date > entry.addedOn)
			Object.assign(entry, {
				addedOn: row.date,
				added: { id: row.id, name: row.name, itemId: row.itemId },
			});
		if (row.change === 'removed' && row.date > entry.removedOn) entry.removedOn = row.date;
		latest.set(row.id, entry);
	}
	return (
		[...latest.values()]
			.filter(
				(e): e is typeof e & { added: VanishedSubprocessor } =>
					e.added !== undefined &&
					e.removedOn < e.addedOn &&
					!listed.has(e.added.id) &&
					!reported.has(e.added.itemId),
			)
			.map((e) => e.added)
			// The same order on every replica, whatever its locale.
			.sort((a, b) => byCodeUnits(a.id, b.id))
	);
}

/** A subprocessor item's public id, change and date: `subprocessor:<id>:<change>:<date>`. */
const itemParts = (itemId: string) => {
	const [, id = '', change = '', date = ''] = itemId.split(':');
	return { id, change, date };
};

/**
 * The subprocessor items this database recorded, each under its public id as builds publish it now: one
 * named only under NDA that was recorded under its earlier id (`…-68ba9b`, see {@link earlierPublicId})
 * is known by its descriptor's id, so its earlier and later items are one subprocessor's.
 */
async function recordedSubprocessors(q: Queryable) {
	const { rows } = await q.query<{ id: string; name: string; named: string }>(
		`SELECT id, payload->>'name' AS name, payload->>'named' AS named
		FROM notify_items WHERE id LIKE 'subprocessor:%'`,
	);
	return rows.map((row) => {
		const { id, change, date } = itemParts(row.id);
		const earlier = row.named === 'false' && earlierPublicId(row.name).test(id);
		return {
			itemId: row.id,
			id: earlier ? descriptorId(row.name) : id,
			name: row.name,
			change,
			date,
		};
	});
}

/**
 * The items of subprocessors named only under NDA that this database recorded under their earlier public
 * id: the same change on the same date. They were announced once, under that id.
 */
async function earlierSubprocessorItems(
	q: Queryable,
	items: readonly BuildItem[],
): Promise<BuildItem[]> {
	const hidden = items.filter((i) => i.payload.type === 'subprocessor' && !i.payload.named);
	if (hidden.length === 0) return [];
	const recorded = new Set(
		(await recordedSubprocessors(q)).map((r) => `${r.id}:${r.change}:${r.date}`),
	);
	return hidden.filter((item) => recorded.has(item.id.slice('subprocessor:'.length)));
}

/**
 * The subprocessor changes new in a look that a notice new in the same look announces (by public id),
 * each with that notice: they go inside its mail, so a subscriber gets one mail for the change. A change
 * published in a later build than its notice is news of its own, and mailed on its own.
 */
function carriedChanges(fresh: readonly BuildItem[]): Map<string, BuildItem> {
	const carried = new Map<string, BuildItem>();
	for (const notice of fresh) {
		if (notice.topic !== 'subprocessor-change' || !notice.announces) continue;
		for (const change of fresh)
			if (
				change.payload.type === 'subprocessor' &&
				!carried.has(change.id) &&
				notice.announces.includes(itemParts(change.id).id)
			)
				carried.set(change.id, notice);
	}
	return carried;
}

const titleOf = (item: BuildItem) =>
	item.payload.type === 'update' ? item.payload.title : item.payload.name;

async function insertItem(q: Queryable, item: BuildItem, baseline: boolean, at: Date) {
	const { rows } = await q.query(
		`INSERT INTO notify_items (id, topic, payload, published_at, first_seen, baseline)
		VALUES ($1, $2, $3::jsonb, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
		[item.id, item.topic, JSON.stringify(item.payload), item.publishedAt, at, baseline],
	);
	return rows.length === 1;
}

/** Queues one mail per active subscriber of the item's topic; returns how many. */
async function fanOut(q: Queryable, item: BuildItem, at: Date): Promise<number> {
	const { rows } = await q.query<{ n: number }>(
		`WITH queued AS (
			INSERT INTO mail_outbox (subscriber_id, item_id, state, queued_at, due_at)
			SELECT s.id, $1, 'queued', $2, $2 FROM subscribers s
			WHERE s.state = 'active' AND s.topics && ARRAY['all', $3::text]
			ON CONFLICT (subscriber_id, item_id) DO NOTHING RETURNING 1)
		SELECT count(*)::int AS n FROM queued`,
		[item.id, at, item.topic],
	);
	const n = rows[0]?.n ?? 0;
	await q.query('UPDATE notify_items SET recipients = $2 WHERE id = $1', [item.id, n]);
	return n;
}

/**
 * Looks at the build in `gate.dist` and queues the mails of every item not seen before. `actor` names who
 * asked (`gate` at start and on a rebuild, `cli:<user>` for notify). A dry run says what it would queue
 * and changes nothing. Throws when the build cannot be read (missing or half-written).
 */
export async function discover(
	gate: Gate,
	actor: string,
	{ dryRun = false }: { dryRun?: boolean } = {},
): Promise<DiscoveryReport> {
	const items = readBuildItems(gate.dist);
	await subscriptionSecrets(gate);
	const now = gate.now();
	const run = async (q: Queryable): Promise<DiscoveryReport> => {
		await q.query('SELECT pg_advisory_xact_lock($1)', [NOTIFY_LOCK]);
		const state = (
			await q.query<{ baselined_at: Date | null }>(
				'SELECT baselined_at FROM subscription_state WHERE id = 1',
			)
		).rows[0];
		const known = new Set(
			(
				await q.query<{ id: string }>('SELECT id FROM notify_items WHERE id = ANY($1::text[])', [
					items.map((i) => i.id),
				])
			).rows.map((r) => r.id),
		);
		const unknown = items.filter((i) => !known.has(i.id));
		// A subprocessor named only under NDA that this database recorded under its earlier public id is
		// recorded again under the new one, as known: it was announced once.
		const earlier = await earlierSubprocessorItems(q, unknown);
		if (!dryRun) for (const item of earlier) await insertItem(q, item, true, now);
		const fresh = unknown.filter((i) => !earlier.includes(i));
		if (!state?.baselined_at) {
			if (!dryRun) {
				for (const item of fresh) await insertItem(q, item, true, now);
				await q.query('UPDATE subscription_state SET baselined_at = $1 WHERE id = 1', [now]);
				await appendAudit(
					q,
					{
						type: 'subscriptions.history-recorded',
						actor,
						subject: 'subscriptions',
						data: { items: fresh.length },
					},
					now,
				);
			}
			return { firstRun: true, history: fresh.length, found: [], vanished: [], dryRun };
		}
		const found: FoundItem[] = [];
		const carried = carriedChanges(fresh);
		const changesOf = new Map<BuildItem, BuildItem[]>();
		for (const change of fresh) {
			const notice = carried.get(change.id);
			if (notice) changesOf.set(notice, [...(changesOf.get(notice) ?? []), change]);
		}
		for (const bare of fresh) {
			// A change that a notice carries is recorded like any item, and mailed only inside that notice.
			const mailedWith = carried.get(bare.id)?.id;
			const changes = changesOf.get(bare) ?? [];
			const item: BuildItem =
				changes.length === 0
					? bare
					: {
							...bare,
							payload: {
								...(bare.payload as UpdateItem),
								subprocessors: changes.map((c) => c.payload as SubprocessorItem),
							},
						};
			const entry: FoundItem = {
				id: item.id,
				topic: item.topic,
				title: titleOf(item),
				recipients: 0,
				...(mailedWith && { mailedWith }),
			};
			if (dryRun) {
				if (!mailedWith) {
					const { rows } = await q.query<{ n: number }>(
						"SELECT count(*)::int AS n FROM subscribers WHERE state = 'active' AND topics && ARRAY['all', $1::text]",
						[item.topic],
					);
					entry.recipients = rows[0]?.n ?? 0;
				}
				found.push(entry);
				continue;
			}
			if (!(await insertItem(q, item, false, now))) continue;
			if (!mailedWith) entry.recipients = await fanOut(q, item, now);
			found.push(entry);
			await appendAudit(
				q,
				{
					type: 'subscriptions.item-queued',
					actor,
					subject: item.id,
					data: {
						topic: entry.topic,
						title: entry.title,
						recipients: entry.recipients,
						...(mailedWith && { mailedWith }),
						...(changes.length > 0 && { subprocessors: changes.map((c) => c.id) }),
					},
				},
				now,
			);
		}
		// A subprocessor gone without a removal is reported once, and the audit log keeps that it was.
		const vanished = await vanishedSubprocessors(q, items);
		if (!dryRun)
			for (const v of vanished)
				await appendAudit(
					q,
					{ type: GONE, actor, subject: v.itemId, data: { id: v.id, name: v.name } },
					now,
				);
		return { firstRun: false, history: 0, found, vanished, dryRun };
	};
	const report = await gate.db.tx(run);
	if (!dryRun && report.found.some((f) => f.recipients > 0)) {
		// Fresh statistics after a fan-out, so the sender's claims read the due index in order instead of
		// sorting the whole outbox each time (the embedded database has no autovacuum to refresh them).
		await gate.db.query('ANALYZE mail_outbox');
		gate.onQueued();
	}
	return report;
}

/** A discovery report for the log or the CLI: a line, then the new items and the vanished subprocessors. */
export function describeDiscovery(report: DiscoveryReport): string {
	return [describeFound(report), describeVanished(report.vanished)].filter(Boolean).join('\n');
}

function describeFound(report: DiscoveryReport): string {
	const would = report.dryRun ? 'would be' : '';
	if (report.firstRun)
		return `First look at this site: ${report.history} published item(s) ${report.dryRun ? 'would be recorded' : 'recorded'} as history; none ${report.dryRun ? 'would be' : 'is'} mailed.`;
	if (report.found.length === 0) return 'Nothing new to mail in the build.';
	return `${report.found.length} new item(s)${report.dryRun ? ' (dry run: nothing queued)' : ''}:\n${report.found
		.map((f) =>
			f.mailedWith
				? `  ${f.id}  ${f.title}: in the mail of ${f.mailedWith}`
				: `  ${f.id}  ${f.title}: ${f.recipients} mail(s) ${would || 'queued'}`.replace(
						/ {2,}(?=mail)/,
						' ',
					),
		)
		.join('\n')}`;
}

function describeVanished(vanished: readonly VanishedSubprocessor[]): string {
	if (vanished.length === 0) return '';
	const list = vanished.map((v) => `  ${v.id}  ${v.name}`).join('\n');
	return `${vanished.length} subprocessor(s) left the public list without a removal, so no subscriber was told (said once; the audit log keeps it):\n${list}\nIf one was removed, put its file back in the content folder's subprocessors/ with state: removed and its removed: date, and rebuild: subscribers to subprocessor changes are mailed the removal. If only its file or public descriptor was renamed, nothing needs doing.`;
}
