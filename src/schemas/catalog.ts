import { z } from 'zod';
import { describe } from './messages.ts';
import { controlRef, slugId } from './fields.ts';

/** One control of a catalog. Status is never written here: it comes from `content/control-status.json`. */
export const ControlSchema = z.strictObject({
	/** The control's id in its catalog, e.g. `A.5.15` or `CC6.1`. */
	id: z.string().regex(/^[A-Za-z0-9._-]+$/, {
		error: (i) =>
			`expected a control id of letters, digits, "." "-" or "_" (like "A.5.15"), received ${describe(i.input)}`,
	}),
	/** Short title, e.g. "Access control". */
	title: z.string().min(1),
	/** The domain or theme the control belongs to, e.g. "Organizational". Counts are grouped by it. */
	domain: z.string().min(1),
	/** What the company does for this control, in words fit for the public site. */
	description: z.string().min(1),
	/** Days after which this control's evidence is stale, overriding `controlStatus.maxEvidenceAgeDays`. */
	maxEvidenceAgeDays: z.number().int().min(1).optional(),
	/** References to equivalent controls in other catalogs, e.g. `[soc2-2017:CC6.1]`. */
	mappings: z.array(controlRef).default([]),
});

/** A control catalog: `content/catalogs/<id>.yaml`, e.g. the ISO 27001:2022 Annex A controls. */
export const CatalogSchema = z.strictObject({
	/** Stable id used in control references, e.g. `iso27001-2022`. Unique among its kind. */
	id: slugId,
	/** Display name, e.g. "ISO/IEC 27001:2022 Annex A". */
	name: z.string().min(1),
	/** What the counts are called on cards, e.g. "Annex A controls". Default: the site's word for controls (`status.unit` in src/lib/words/en/common.ts, "controls" in English). */
	unit: z.string().min(1).optional(),
	/** The controls, each with a unique id. */
	controls: z.array(ControlSchema).min(1),
});

export type Control = z.output<typeof ControlSchema>;
export type Catalog = z.output<typeof CatalogSchema>;
