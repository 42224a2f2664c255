import type { ControlStatusSnapshot } from '../../schemas/control-status.ts';
import type { Framework } from '../../schemas/framework.ts';
import type { Words } from '../words/words.ts';
import { headline, type CatalogCounts, type Freshness } from './counts.ts';
import { shownStatus } from './expiry.ts';

/**
 * `/status.json`: what the framework pages say, in a form a buyer's script can check. `asOf` and
 * `digest` identify the snapshot; `evaluatedAt` (the build time) and `maxEvidenceAgeDays` say when and
 * how stale evidence was judged, so one snapshot built on two days explains its two sets of counts.
 */
export function statusDocument(
	frameworks: readonly { framework: Framework; counts: CatalogCounts | undefined; unit: string }[],
	snapshot: ControlStatusSnapshot,
	freshness: Freshness,
	/** The site's words: `headline` and `unit` say what the framework pages say. */
	t: Words,
) {
	return {
		asOf: snapshot.asOf,
		evaluatedAt: freshness.now.toISOString(),
		maxEvidenceAgeDays: freshness.maxEvidenceAgeDays,
		digest: snapshot.digest ?? null,
		sources: snapshot.sources.map((s) => s.id),
		frameworks: frameworks.map(({ framework, counts, unit }) => ({
			id: framework.id,
			name: framework.name,
			status: shownStatus(framework, freshness.now),
			...(counts
				? {
						unit,
						headline: headline(counts, t),
						counts: {
							total: counts.total,
							applicable: counts.applicable,
							implemented: counts.implemented,
							partial: counts.partial,
							planned: counts.planned,
							failing: counts.failing,
							notApplicable: counts.notApplicable,
							unknown: counts.unknown,
							stale: counts.stale,
						},
						domains: counts.domains,
					}
				: {}),
		})),
	};
}
