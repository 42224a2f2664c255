// The items subscribers are mailed about, read from the public build the gate serves: the updates of
// /updates.json (the JSON Feed) and the additions and removals of /subprocessors.json. Only the public
// edition is ever read, so only what the public site says can reach a mail.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FILES } from '../../lib/routing/urls.ts';
import type { PublicSubprocessor } from '../../lib/subprocessors.ts';
import { UPDATE_KINDS } from '../../schemas/update.ts';

/** An update as mailed: what the JSON Feed publishes of it. */
export interface UpdateItem {
	type: 'update';
	title: string;
	summary: string;
	/** Its page, site-relative: `/updates/2026-11-10-soc-2-report/`. */
	path: string;
	kind: (typeof UPDATE_KINDS)[number];
	/** YYYY-MM-DD. */
	date: string;
	/**
	 * The subprocessor changes this notice announces that were new with it, mailed inside it (see
	 * discover in services/notify.ts); absent when there are none.
	 */
	subprocessors?: SubprocessorItem[];
}

/** A subprocessor added to or removed from the public list, as /subprocessors.json publishes it. */
export type SubprocessorItem = Omit<PublicSubprocessor, 'id'> & {
	type: 'subprocessor';
	change: 'added' | 'removed';
};

/** One item found in the build, with its stable id and the topic it is mailed under. */
export interface BuildItem {
	/** `update:<path>`, or `subprocessor:<public id>:added:<effective>` / `…:removed:<removed>`. */
	id: string;
	/** An update kind, or subprocessor-change. */
	topic: string;
	/** The item's own date: an update's date, a subprocessor's notice (or effective) or removal date. */
	publishedAt: Date;
	payload: UpdateItem | SubprocessorItem;
	/** For a subprocessor-change notice: the public ids of the subprocessors it announces. */
	announces?: string[];
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/);

const JsonFeed = z.object({
	items: z.array(
		z.object({
			url: z.url(),
			title: z.string(),
			summary: z.string(),
			date_published: day,
			tags: z.array(z.string()).optional(),
			_trust_center: z.object({ subprocessors: z.array(z.string()) }).optional(),
		}),
	),
});

const SubprocessorList = z.object({
	subprocessors: z.array(
		z.object({
			id: z.string().min(1),
			name: z.string(),
			named: z.boolean(),
			purpose: z.string(),
			dataCategories: z.array(z.string()),
			locations: z.array(z.string()),
			transferMechanism: z.string(),
			website: z.string().nullable(),
			state: z.enum(['active', 'planned', 'removed']),
			noticeDate: day.nullable(),
			effective: day,
			removed: day.nullable(),
		}),
	),
});

const utcDay = (text: string) => new Date(`${text.slice(0, 10)}T00:00:00Z`);

/**
 * The items of a build's updates feed and subprocessor list (parsed JSON). Throws a message naming the
 * file when either is not what the build writes.
 */
export function parseBuildItems(updatesFeed: unknown, subprocessorList: unknown): BuildItem[] {
	const feed = JsonFeed.safeParse(updatesFeed);
	if (!feed.success) throw new Error(`${FILES.jsonFeed} is not the JSON Feed the build writes`);
	const list = SubprocessorList.safeParse(subprocessorList);
	if (!list.success)
		throw new Error(`${FILES.subprocessorsJson} is not the subprocessor list the build writes`);
	const updates = feed.data.items.map((u): BuildItem => {
		const tag = u.tags?.[0];
		const kind = UPDATE_KINDS.find((k) => k === tag) ?? 'general';
		const path = new URL(u.url).pathname;
		return {
			id: `update:${path}`,
			topic: kind,
			publishedAt: utcDay(u.date_published),
			...(u._trust_center && { announces: u._trust_center.subprocessors }),
			payload: {
				type: 'update',
				title: u.title,
				summary: u.summary,
				path,
				kind,
				date: u.date_published.slice(0, 10),
			},
		};
	});
	const subprocessors = list.data.subprocessors.map((s): BuildItem => {
		const removed = s.state === 'removed';
		const payload: SubprocessorItem = {
			type: 'subprocessor',
			change: removed ? 'removed' : 'added',
			name: s.name,
			named: s.named,
			purpose: s.purpose,
			dataCategories: s.dataCategories,
			locations: s.locations,
			transferMechanism: s.transferMechanism,
			website: s.website,
			state: s.state,
			noticeDate: s.noticeDate,
			effective: s.effective,
			removed: s.removed,
		};
		// Keyed by the date too: a subprocessor added again after its removal, or whose start moved, is news.
		return removed
			? {
					id: `subprocessor:${s.id}:removed:${s.removed ?? s.effective}`,
					topic: 'subprocessor-change',
					publishedAt: utcDay(s.removed ?? s.effective),
					payload,
				}
			: {
					id: `subprocessor:${s.id}:added:${s.effective}`,
					topic: 'subprocessor-change',
					publishedAt: utcDay(s.noticeDate ?? s.effective),
					payload,
				};
	});
	return [...updates, ...subprocessors];
}

/**
 * Reads the items of the build in `dist`. Throws a message saying what is missing or broken: a build
 * half-written (the gate looks again when it is finished) or not built at all.
 */
export function readBuildItems(dist: string): BuildItem[] {
	const read = (file: string) => {
		const path = join(dist, file);
		if (!existsSync(path))
			throw new Error(`${path} is missing: build the site (npm run build) before notifying`);
		try {
			return JSON.parse(readFileSync(path, 'utf8')) as unknown;
		} catch (error) {
			throw new Error(`${path} is not valid JSON (${(error as Error).message.slice(0, 80)})`, {
				cause: error,
			});
		}
	};
	return parseBuildItems(read(FILES.jsonFeed), read(FILES.subprocessorsJson));
}
