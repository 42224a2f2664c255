import { existsSync, realpathSync } from 'node:fs';
import { isPdfFile } from '../files.ts';
import { join, relative, sep } from 'node:path';
import { PUBLIC_SUBDIR } from './dir.ts';
import { isoDay } from '../dates.ts';
import { hasExpired } from '../status/expiry.ts';
import { isReviewOverdue, nextReview } from '../policy-review.ts';
import {
	fieldLine,
	sourceReader,
	type Entry,
	type SourceReader,
	type TrustContent,
} from './load.ts';
import type { Problem } from './problems.ts';
import { checkBrandContrast } from '../brand/contrast.ts';
import { snapshotDigest } from '../pull/snapshot-file.ts';
import { controlStates } from '../status/counts.ts';
import { faqUrl, slugify, updateUrl } from '../routing/urls.ts';
import { isNdaName } from '../nda/visibility.ts';
import { objectionEnd, publicId } from '../subprocessors.ts';

/**
 * Checks everything one file cannot check alone: references between files, duplicate ids, files that
 * must exist, and dates that have passed. Returns every problem found, never throws.
 */
export function checkCrossReferences(
	content: TrustContent,
	root: string,
	contentDir: string,
	now: Date,
	read: SourceReader = sourceReader(root),
): Problem[] {
	const problems: Problem[] = [];
	// The line of `field` in `file`, as the schema's own problems give it.
	const lineOf = (file: string, field: string) => fieldLine(root, file, field, read);
	const error = (file: string, field: string, message: string, hint: string) =>
		problems.push({ severity: 'error', file, line: lineOf(file, field), field, message, hint });
	const warn = (file: string, field: string, message: string, hint: string) =>
		problems.push({ severity: 'warning', file, line: lineOf(file, field), field, message, hint });

	for (const [kind, entries] of [
		['framework', content.frameworks],
		['catalog', content.catalogs],
		['policy', content.policies],
		['subprocessor', content.subprocessors],
		['document', content.documents],
	] as const) {
		const seen = new Map<string, string>();
		for (const entry of entries as Entry<{ id: string }>[]) {
			const first = seen.get(entry.data.id);
			if (first)
				error(
					entry.file,
					'id',
					`duplicate ${kind} id "${entry.data.id}", already used by ${first}`,
					'Give one of them a different id.',
				);
			else seen.set(entry.data.id, entry.file);
		}
	}

	// The public list names a subprocessor by its public id (anchors, /subprocessors.json, notices): one
	// named only under NDA by its descriptor, so two alike could not be told apart.
	const publicIds = new Map<string, { file: string; hidden: boolean }>();
	for (const s of content.subprocessors) {
		const id = publicId(s.data);
		const first = publicIds.get(id);
		if (!first) publicIds.set(id, { file: s.file, hidden: isNdaName(s.data) });
		else if (isNdaName(s.data) || first.hidden)
			error(
				s.file,
				isNdaName(s.data) ? 'publicDescriptor' : 'id',
				`the public list would name it "${id}", as it names ${first.file}, so the two could not be told apart`,
				'Give the one named only under NDA a more specific publicDescriptor, e.g. "EU cloud hosting provider (backups)".',
			);
	}

	// A planned subprocessor gives customers objectionDays from its notice to object before it starts.
	const { objectionDays } = content.site.subscriptions;
	for (const s of content.subprocessors) {
		const { state, noticeDate, effective, name } = s.data;
		if (state !== 'planned' || !noticeDate) continue;
		const deadline = objectionEnd(noticeDate, objectionDays);
		if (effective < deadline)
			warn(
				s.file,
				'effective',
				`${name} starts on ${isoDay(effective)}, before customers' time to object ends on ${isoDay(deadline)} (noticeDate ${isoDay(noticeDate)} plus subscriptions.objectionDays, ${objectionDays} days)`,
				'Move effective to that day or later, or shorten objectionDays in site.yaml if your agreements allow it.',
			);
		else if (deadline < now)
			warn(
				s.file,
				'state',
				`${name} is still planned, but customers' time to object ended on ${isoDay(deadline)}`,
				'Set state: active once it processes data; if it was announced again, set noticeDate to that day.',
			);
	}

	// A notice names the subprocessors it announces by id, and only a subprocessor-change notice is mailed
	// to those who follow subprocessor changes.
	const subprocessorIds = new Set(content.subprocessors.map((s) => s.data.id));
	const subprocessorList =
		[...subprocessorIds].map((id) => JSON.stringify(id)).join(', ') || 'none';
	for (const u of content.updates) {
		const { kind, subprocessors } = u.data;
		if (subprocessors.length > 0 && kind !== 'subprocessor-change')
			error(
				u.file,
				'subprocessors',
				`an update of kind ${kind} announces no subprocessors: only subprocessor-change notices go to subscribers of subprocessor changes`,
				'Set kind: subprocessor-change, or remove subprocessors.',
			);
		subprocessors.forEach((id, i) => {
			if (!subprocessorIds.has(id))
				error(
					u.file,
					`subprocessors[${i}]`,
					`unknown subprocessor "${id}"; known subprocessors: ${subprocessorList}`,
					'Use the id of an entry in subprocessors/.',
				);
			else if (subprocessors.indexOf(id) < i)
				error(
					u.file,
					`subprocessors[${i}]`,
					`"${id}" is listed twice`,
					'List each subprocessor once.',
				);
		});
	}

	// Updates and FAQ entries are named by their file: two names that slug alike (case, spaces) would make
	// one page, and Astro would publish only one of them.
	for (const [kind, entries, url] of [
		['update', content.updates, updateUrl],
		['FAQ entry', content.faq, faqUrl],
	] as const) {
		const seen = new Map<string, string>();
		for (const entry of entries as Entry<unknown>[]) {
			const first = seen.get(entry.slug);
			if (first)
				error(
					entry.file,
					'',
					`duplicate ${kind}: its file name makes the same address, ${url(entry.slug)}, as ${first}, so only one of them would be published`,
					'Rename one of the files: names that differ only in case, spaces or punctuation make one address.',
				);
			else seen.set(entry.slug, entry.file);
		}
	}

	const catalogs = new Map(content.catalogs.map((c) => [c.data.id, c]));
	const controlIds = new Map(
		content.catalogs.map((c) => [c.data.id, new Set(c.data.controls.map((control) => control.id))]),
	);
	const catalogList = [...catalogs.keys()].map((id) => JSON.stringify(id)).join(', ') || 'none';
	const checkControlRef = (file: string, field: string, ref: string, unknownHint?: string) => {
		const [catalogId, controlId] = ref.split(':') as [string, string];
		const ids = controlIds.get(catalogId);
		if (!ids)
			error(
				file,
				field,
				`unknown catalog "${catalogId}" in "${ref}"; known catalogs: ${catalogList}`,
				`Use one of those, or add ${contentDir}/catalogs/${catalogId}.yaml.`,
			);
		else if (!ids.has(controlId))
			error(
				file,
				field,
				`unknown control "${controlId}" in catalog "${catalogId}"`,
				unknownHint ?? `Check the id against ${catalogs.get(catalogId)!.file}.`,
			);
	};

	for (const catalog of content.catalogs) {
		const seen = new Set<string>();
		catalog.data.controls.forEach((control, i) => {
			if (seen.has(control.id))
				error(
					catalog.file,
					`controls[${i}].id`,
					`duplicate control id "${control.id}"`,
					'Each control id may appear once per catalog.',
				);
			seen.add(control.id);
			control.mappings.forEach((ref, j) =>
				checkControlRef(catalog.file, `controls[${i}].mappings[${j}]`, ref),
			);
		});
	}

	const frameworkIds = new Set(content.frameworks.map((f) => f.data.id));
	const documentIds = new Set(content.documents.map((d) => d.data.id));
	for (const framework of content.frameworks) {
		const { catalog, documents } = framework.data;
		if (catalog && !catalogs.has(catalog))
			error(
				framework.file,
				'catalog',
				`unknown catalog "${catalog}"; known catalogs: ${catalogList}`,
				`Use one of those, or add ${contentDir}/catalogs/${catalog}.yaml.`,
			);
		documents.forEach((id, i) => {
			if (!documentIds.has(id))
				error(
					framework.file,
					`documents[${i}]`,
					`unknown document "${id}"`,
					`Use the id of a file in ${contentDir}/documents/, or remove it.`,
				);
		});
		if (framework.data.expires && hasExpired(framework.data.expires, now)) {
			warn(
				framework.file,
				'expires',
				`the ${framework.data.name} certificate or report expired on ${isoDay(framework.data.expires)}`,
				'The site shows it as Expired until then: upload the renewed one and update the dates, or change the status.',
			);
		}
	}

	for (const policy of content.policies) {
		policy.data.controls.forEach((ref, i) => checkControlRef(policy.file, `controls[${i}]`, ref));
		if (isReviewOverdue(policy.data, now)) {
			warn(
				policy.file,
				'lastReviewed',
				`review overdue since ${isoDay(nextReview(policy.data))} (last reviewed ${isoDay(policy.data.lastReviewed)}, every ${policy.data.reviewIntervalMonths} months); owner: ${policy.data.owner}`,
				'Ask the owner to review it, then update lastReviewed.',
			);
		}
	}

	// The FAQ page has one section per category slug, under one spelling: "Data & privacy" and "Data privacy"
	// would show one of the two.
	const categories = new Map<string, { label: string; file: string }>();
	for (const faq of content.faq) {
		const { category } = faq.data;
		const first = categories.get(slugify(category));
		if (!first) categories.set(slugify(category), { label: category, file: faq.file });
		else if (first.label !== category)
			warn(
				faq.file,
				'category',
				`category ${JSON.stringify(category)} makes one section of the FAQ page with ${JSON.stringify(first.label)} in ${first.file}, which is shown under one of the two spellings`,
				'Write the category the same way in every entry.',
			);
		faq.data.frameworks.forEach((id, i) => {
			if (!frameworkIds.has(id))
				error(
					faq.file,
					`frameworks[${i}]`,
					`unknown framework "${id}"; known frameworks: ${[...frameworkIds].map((f) => JSON.stringify(f)).join(', ')}`,
					`Use one of those, or add ${contentDir}/frameworks/${id}.mdx.`,
				);
		});
		faq.data.controls.forEach((ref, i) => checkControlRef(faq.file, `controls[${i}]`, ref));
	}

	const documentsDir = join(contentDir, 'documents');
	for (const doc of content.documents) {
		const path = join(documentsDir, doc.data.file);
		if (!existsSync(join(root, path)))
			error(
				doc.file,
				'file',
				`file not found: ${path}`,
				'Put the file there, or fix the path (it is relative to the documents folder).',
			);
		else {
			// A symbolic link could publish (or let the gate serve) any file the build can read.
			const real = realpathSync(join(root, path));
			if (!real.startsWith(`${realpathSync(join(root, documentsDir))}${sep}`))
				error(
					doc.file,
					'file',
					`${path} is a link to ${relative(root, real)}, outside ${documentsDir}/`,
					`Put the file itself in ${documentsDir}/: documents are published and served from there only.`,
				);
			else if (doc.data.access === 'nda' && !isPdfFile(real))
				error(
					doc.file,
					'file',
					`${path} is not a PDF file (it does not start with "%PDF-"), and an NDA document is watermarked for each reader, which the gate does to PDF files only`,
					'Export the document as PDF, put that file in the documents folder and name it here.',
				);
		}
		if (doc.data.validUntil && doc.data.validUntil < now) {
			warn(
				doc.file,
				'validUntil',
				`"${doc.data.title}" expired on ${isoDay(doc.data.validUntil)}; owner: ${doc.data.owner}`,
				'Replace the file with the current one and update the dates.',
			);
		}
	}

	const { site } = content;
	for (const [field, path] of [
		['logo.light', site.logo.light],
		['logo.dark', site.logo.dark],
		['font.file', site.font?.file],
	] as const) {
		const folder = join(contentDir, PUBLIC_SUBDIR);
		if (path && !existsSync(join(root, folder, path)))
			error(
				join(contentDir, 'site.yaml'),
				field,
				`file not found: ${folder}${path}`,
				`Put the ${field === 'font.file' ? 'font' : 'image'} under ${folder}/, or fix the path.`,
			);
	}
	problems.push(...checkBrandContrast(site, join(contentDir, 'site.yaml')));
	if (site.securityTxt.expires && site.securityTxt.expires <= now) {
		error(
			join(contentDir, 'site.yaml'),
			'securityTxt.expires',
			`security.txt would already be expired (${isoDay(site.securityTxt.expires)})`,
			'Set a future date, or remove `expires` and use `expiresAfterDays`.',
		);
	}

	const snap = content.snapshot;
	const sourceIds = new Set(snap.data.sources.map((s) => s.id));
	const seenStatus = new Set<string>();
	snap.data.controls.forEach((entry, i) => {
		const key = `${entry.catalog}:${entry.control}`;
		if (seenStatus.has(key))
			error(
				snap.file,
				`controls[${i}]`,
				`duplicate status for "${key}"`,
				'Keep one entry per control.',
			);
		seenStatus.add(key);
		checkControlRef(
			snap.file,
			`controls[${i}]`,
			key,
			// A pulled snapshot names what the catalog held at the pull: after a catalog change it is the pull's
			// to write again (it kept the old snapshot if a source failed), not an id to correct by hand.
			site.controlStatus.sources.length > 0
				? `The catalog changed since the pull that wrote this file: run npm run controls:pull (if it keeps the last snapshot, fix the source it names first).`
				: undefined,
		);
		if (!sourceIds.has(entry.source))
			error(
				snap.file,
				`controls[${i}].source`,
				`unknown source "${entry.source}"; known sources: ${[...sourceIds].map((s) => JSON.stringify(s)).join(', ')}`,
				'Add it to `sources` or fix the id.',
			);
	});

	// The file as the content check read and parsed it (the reader keeps each parse), not read again: the
	// digest is of the file's own fields, before the schema adds its defaults.
	const raw = read(join(root, snap.file)).parsed;
	if (raw.ok)
		problems.push(
			...checkSnapshotDigest(
				raw.value as Record<string, unknown>,
				snap.file,
				site.controlStatus.sources.length > 0,
			),
		);

	// Stale evidence, per framework: too large a share of one framework's applicable controls fails the
	// build, so an old snapshot is never presented as current (a small framework gone stale beside a
	// large fresh one too).
	const { maxEvidenceAgeDays, maxStaleShare } = site.controlStatus;
	const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
	for (const framework of content.frameworks) {
		const catalog = catalogs.get(framework.data.catalog ?? '')?.data;
		if (!catalog) continue;
		const states = controlStates(catalog, snap.data, { now, maxEvidenceAgeDays });
		const applicable = states.filter((s) => s.status !== 'not-applicable').length;
		const stale = states.filter((s) => s.status === 'stale').length;
		if (applicable > 0 && stale / applicable > maxStaleShare)
			error(
				snap.file,
				'controls',
				`${framework.data.name}: ${stale} of ${applicable} applicable ${catalog.unit ?? 'controls'} (${percent(stale / applicable)}) have evidence older than their max age (${maxEvidenceAgeDays} days by default) on ${isoDay(now)}; the limit is ${percent(maxStaleShare)} of a framework's applicable controls (controlStatus.maxStaleShare in ${join(contentDir, 'site.yaml')})`,
				'Pull fresh evidence with `npm run controls:pull`, or raise the limit.',
			);
	}

	return problems;
}

/**
 * Recomputes the snapshot's digest from the file as it is and compares it with the `digest` it holds:
 * a mismatch means the file was edited after the pull, and its figures would be published under a
 * digest that vouches for others. A snapshot without `digest` is kept by hand, which is allowed only
 * when no source is configured (the pull always writes one).
 */
export function checkSnapshotDigest(
	raw: Record<string, unknown>,
	file: string,
	hasSources: boolean,
): Problem[] {
	const stored = raw['digest'];
	const fix = hasSources
		? 'Run `npm run controls:pull` to write it from the sources again; with controlStatus.sources set, only the pull writes this file.'
		: 'If you keep this file by hand (no controlStatus.sources), remove `digest`: the site then says the digest is not recorded.';
	if (stored === undefined)
		return hasSources
			? [
					{
						severity: 'error',
						file,
						field: 'digest',
						message:
							'missing, though controlStatus.sources is set: the pull always writes one, so this file was written or edited by hand',
						hint: fix,
					},
				]
			: [];
	const actual = snapshotDigest(raw);
	if (actual === stored) return [];
	return [
		{
			severity: 'error',
			file,
			field: 'digest',
			message: `the file was edited after the pull: its content's SHA-256 is ${actual}, not the ${String(stored)} it records, so the published digest would vouch for figures the pull never produced`,
			hint: fix,
		},
	];
}
