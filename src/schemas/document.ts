import { z } from 'zod';
import { describe } from './messages.ts';
import { isoDate, slugId } from './fields.ts';

export const DOCUMENT_KINDS = [
	'audit-report',
	'pen-test-letter',
	'certificate',
	'insurance',
	'policy-pdf',
] as const;
export const DOCUMENT_ACCESS = ['public', 'nda'] as const;

/** A downloadable document: `content/documents/<id>.yaml`, with its file beside it in `content/documents/files/`. */
export const DocumentSchema = z.strictObject({
	/** Stable id, e.g. `soc2-type2-report`. Unique among its kind. */
	id: slugId,
	/** Title shown in the list, e.g. "SOC 2 Type II report (2026)". */
	title: z.string().min(1),
	/** audit-report, pen-test-letter, certificate, insurance or policy-pdf. */
	kind: z.enum(DOCUMENT_KINDS),
	/** public: anyone can download it. nda: listed with "Request access"; the file is never published. */
	access: z.enum(DOCUMENT_ACCESS),
	/** The document's date (report date, letter date). */
	date: isoDate,
	/** Until when the document is current. The build warns once it has passed. */
	validUntil: isoDate.optional(),
	/** The role that keeps this document current; named in the warning once `validUntil` has passed. Default "Security team". */
	owner: z.string().min(1).default('Security team'),
	/** One sentence on what it is. */
	description: z.string().min(1),
	/** The file, relative to `content/documents/`, e.g. `files/iso-certificate.pdf`. It must exist, inside that folder: no "..", "\\" or leading "/". */
	file: z
		.string()
		.refine(
			(path) =>
				/^[^/].*\.[a-z0-9]+$/i.test(path) &&
				!path.includes('\\') &&
				!path.split('/').includes('..'),
			{
				error: (i) =>
					`expected a path inside the documents folder, like "files/report.pdf" (no "..", "\\" or leading "/"), received ${describe(i.input)}`,
			},
		),
});

export type TrustDocument = z.output<typeof DocumentSchema>;
