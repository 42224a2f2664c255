import { z } from 'zod';
import { isoDate, slugId, visibility } from './fields.ts';

export const FRAMEWORK_KINDS = ['certification', 'attestation', 'regulation', 'standard'] as const;
export const FRAMEWORK_STATUSES = [
	'certified',
	'audited',
	'in-progress',
	'aligned',
	'compliant',
	'planned',
] as const;

/** A framework the company is certified against, audited for, or aligned with: `content/frameworks/<id>.mdx`. */
export const FrameworkSchema = z.strictObject({
	/** Stable id used in URLs and references, e.g. `iso-27001`. Unique among its kind. */
	id: slugId,
	/** Display name, e.g. "ISO/IEC 27001:2022". */
	name: z.string().min(1),
	/** Short name for cards and badges, e.g. "ISO 27001". Defaults to `name`. */
	shortName: z.string().optional(),
	/** What sort of framework this is: certification, attestation, regulation or standard. */
	kind: z.enum(FRAMEWORK_KINDS),
	/** Where the company stands: certified, audited, in-progress, aligned, compliant or planned. */
	status: z.enum(FRAMEWORK_STATUSES),
	/** The audit firm or certification body, if any. */
	auditor: z.string().optional(),
	/** When the certificate or report was issued. */
	issued: isoDate.optional(),
	/** When the certificate or report expires; the site warns once it has passed. */
	expires: isoDate.optional(),
	/** What the certification or audit covers, in one or two sentences. */
	scope: z.string().min(1),
	/** One-paragraph summary for the overview card. */
	summary: z.string().min(1),
	/** Ids of documents in `content/documents/` that belong to this framework (report, certificate…). */
	documents: z.array(slugId).default([]),
	/** Id of the control catalog in `content/catalogs/` whose live status gives this framework's counts. */
	catalog: slugId.optional(),
	/** Position on the overview; lower comes first. Default 100. */
	order: z.number().int().default(100),
	/** `nda` keeps this framework out of the public site; it then appears only in the NDA whitepaper. Default `public`. */
	visibility,
});

export type Framework = z.output<typeof FrameworkSchema>;
