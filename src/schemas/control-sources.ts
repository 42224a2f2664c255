import { z } from 'zod';
import { describe } from './messages.ts';
import { CONTROL_STATUSES } from './control-status.ts';
import { slugId } from './fields.ts';

/** How the fields of an exported record map onto a control status. Names are column headers or dotted paths. */
export const FieldMappingSchema = z.strictObject({
	/** Field with the control's id in the source, e.g. "Control ID" or `control.ref`. */
	id: z.string().min(1),
	/** Field with the status. */
	status: z.string().min(1),
	/** Field with the date of the newest evidence (ISO 8601 date or date-time). A planned or not-applicable row may leave it empty; it is then dated by the pull that first saw it. */
	evidenceDate: z.string().min(1),
});

/**
 * Maps the source's own status words onto ours, e.g. `{ "Passing": implemented, "In progress": partial }`.
 * Our own words (implemented, partial, planned, failing, not-applicable) are always understood.
 */
const StatusMapSchema = z.record(z.string(), z.enum(CONTROL_STATUSES)).default({});

/** Default time for one request, headers and body, in milliseconds. */
export const TIMEOUT_MS = 15_000;
/** Default limit on a response body: 50 MB, far more than any control export, far less than memory. */
export const MAX_BYTES = 50_000_000;

/** Default number of retries after a 5xx, a 429 or a network error. */
export const RETRIES = 3;
/** Retries after a 5xx, a 429 or a network error, with exponential backoff (honouring Retry-After). */
const retries = z.number().int().min(0).max(10).default(RETRIES);

/** Time for one request, headers and body, in milliseconds. */
const timeoutMs = z.number().int().min(100).max(300_000).default(TIMEOUT_MS);
/** Largest response body read, in bytes; a larger one fails the source. */
const maxBytes = z.number().int().min(1).default(MAX_BYTES);

/** A URL with a user name or password in it, which would put a secret in the committed site.yaml. */
const hasUserinfo = (value: string) =>
	/^https?:\/\//i.test(value) &&
	URL.canParse(value) &&
	(new URL(value).username !== '' || new URL(value).password !== '');

const common = {
	/** Short id of the source, shown on the site as where a status came from, e.g. `grc-export`. */
	id: slugId,
	/** Catalog that the source's ids belong to when the mapping file says nothing about an id. */
	catalog: slugId,
};

/**
 * An OSCAL document, JSON or YAML: a system security plan (the implementation-status of each implemented
 * requirement, per component or as a prop) or assessment results (each finding's target status, newest
 * result first). A control it names without a status is not reported.
 */
export const OscalSourceSchema = z.strictObject({
	...common,
	kind: z.literal('oscal'),
	/** A path relative to `content/`, or an https URL (without credentials in it). `.yaml`/`.yml` is read as YAML, `.json` as JSON; otherwise the first character decides. */
	location: z
		.string()
		.min(1)
		.refine((value) => !hasUserinfo(value), {
			error:
				'expected a path or a URL without a user name or password in it: site.yaml is committed, and the pull sends no credentials for an OSCAL URL. Publish the document where it needs none, or download it in CI (the secret from an environment variable) and point location at the file',
		}),
	/** Fetch timeout for a URL, headers and body, in milliseconds. Default 15000. */
	timeoutMs,
	/** Largest document read, from a URL or a file, in bytes; a larger one fails the source. Default 50000000 (50 MB). */
	maxBytes,
	/** For a URL: retries after a 5xx, a 429 or a network error, with exponential backoff (honouring Retry-After). Default 3. */
	retries,
});

/** A spreadsheet or compliance-tool export: JSON, YAML or CSV, with a field mapping. */
export const FileSourceSchema = z.strictObject({
	...common,
	kind: z.literal('file'),
	/** Path relative to `content/`, e.g. `exports/grc-controls.csv`. The format comes from the extension. */
	path: z.string().regex(/\.(json|ya?ml|csv)$/i, {
		error: (i) =>
			`expected a path ending in .json, .yaml, .yml or .csv, received ${describe(i.input)}`,
	}),
	/** For JSON and YAML: dotted path to the list of records, e.g. `data.controls`. Default: the document itself. */
	itemsPath: z.string().optional(),
	/** Which fields hold the id, status and evidence date. */
	fields: FieldMappingSchema,
	/** The source's status words, mapped onto ours. */
	statusMap: StatusMapSchema,
});

/** A JSON HTTP API, e.g. a compliance SaaS. Secrets come from environment variables, never from the repo. */
export const HttpSourceSchema = z.strictObject({
	...common,
	kind: z.literal('http'),
	/** The first page's URL, without credentials in it (they go in `auth`). */
	url: z.url({ protocol: /^https?$/ }).refine((value) => !hasUserinfo(value), {
		error:
			'expected a URL without a user name or password in it: site.yaml is committed. Put the secret in an environment variable and name it in auth: { env: … } (for HTTP Basic, scheme: Basic and the base64 of user:password in the variable)',
	}),
	/** Authentication: the header to send, its value taken from an environment variable. */
	auth: z
		.strictObject({
			/** Name of the environment variable holding the token, e.g. `GRC_API_TOKEN`. */
			env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
				error: (i) =>
					`expected an environment variable name like GRC_API_TOKEN, received ${describe(i.input)}`,
			}),
			/** Header to send. Default `Authorization`. */
			header: z.string().default('Authorization'),
			/** Prefix before the token, e.g. `Bearer`. Default `Bearer`; empty for none. */
			scheme: z.string().default('Bearer'),
		})
		.optional(),
	/** Dotted path to the list of records in each page, e.g. `data`. Default: the body itself. */
	itemsPath: z.string().optional(),
	/** Which fields hold the id, status and evidence date. */
	fields: FieldMappingSchema,
	/** The source's status words, mapped onto ours. */
	statusMap: StatusMapSchema,
	/** How to get the next page: a next link in the body, or a page number parameter. Default: one page. */
	pagination: z
		.discriminatedUnion('type', [
			z.strictObject({
				type: z.literal('next-link'),
				/** Dotted path to the next page's URL in the body, e.g. `links.next`. Absent or null ends. */
				path: z.string().min(1),
			}),
			z.strictObject({
				type: z.literal('page-param'),
				/** Query parameter carrying the page number. Default `page`. */
				param: z.string().default('page'),
				/** Number of the first page. Default 1. An empty page ends. */
				start: z.number().int().min(0).default(1),
			}),
		])
		.optional(),
	/** Per-request timeout, headers and body, in milliseconds. Default 15000. */
	timeoutMs,
	/** Largest response body read per page, in bytes; a larger one fails the source. Default 50000000 (50 MB). */
	maxBytes,
	/** Retries after a 5xx, a 429 or a network error, with exponential backoff (honouring Retry-After). Default 3. */
	retries,
	/** Safety limit on pages fetched. Default 1000. */
	maxPages: z.number().int().min(1).default(1000),
});

export const ControlSourceSchema = z.discriminatedUnion('kind', [
	OscalSourceSchema,
	FileSourceSchema,
	HttpSourceSchema,
]);

/** Where control status comes from and how strictly it is checked: `controlStatus` in `content/site.yaml`. */
export const ControlStatusConfigSchema = z.strictObject({
	/** The sources, in precedence order: when two report the same control, the first one wins. */
	sources: z.array(ControlSourceSchema).default([]),
	/** YAML file under `content/` mapping source ids to catalog controls, e.g. `control-mapping.yaml`. */
	mappingFile: z.string().optional(),
	/** When a source fails: `keep` the last good snapshot (`npm run controls:pull` exits 3; the build goes on, with a warning), or `fail` the pull and the build. Without an earlier snapshot, the pull fails either way. Default keep. */
	onSourceError: z.enum(['keep', 'fail']).default('keep'),
	/** When true, ids that map to no control, and controls no source covers, fail the pull. Default false. */
	strict: z.boolean().default(false),
	/** Evidence older than this many days makes a control stale. A catalog control can override it. Default 90. */
	maxEvidenceAgeDays: z.number().int().min(1).default(90),
	/** The build fails when more than this share (0–1) of applicable controls is stale. Default 0.1. */
	maxStaleShare: z.number().min(0).max(1).default(0.1),
	/** Show the per-control list on the public site. Default false: it is in the NDA whitepaper only. */
	publicControlList: z.boolean().default(false),
});

export type ControlSource = z.output<typeof ControlSourceSchema>;
export type HttpSource = z.output<typeof HttpSourceSchema>;
export type FileSource = z.output<typeof FileSourceSchema>;
export type OscalSource = z.output<typeof OscalSourceSchema>;
export type ControlStatusConfig = z.output<typeof ControlStatusConfigSchema>;
