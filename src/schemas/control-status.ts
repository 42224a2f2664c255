import { z } from 'zod';
import { describe } from './messages.ts';
import { isoDate, slugId } from './fields.ts';

export const CONTROL_STATUSES = [
	'implemented',
	'partial',
	'planned',
	'failing',
	'not-applicable',
] as const;
export type ControlStatusValue = (typeof CONTROL_STATUSES)[number];

/** Where a status came from: a compliance tool, an OSCAL file, or a hand-kept export. */
export const StatusSourceSchema = z.strictObject({
	/** Short id of the source, used by each control's `source`, e.g. `manual` or `grc-export`. */
	id: slugId,
	/** What kind of source it is, e.g. "oscal", "file", "http" or "manual". */
	kind: z.string().min(1),
	/** Where it was read from: a file path or URL (never a secret). */
	location: z.string().optional(),
	/** How many records the source sent in the pull that wrote this snapshot. */
	fetched: z.number().int().min(0).optional(),
	/** How many of those records decided a catalog control's status (not counting records for controls an earlier source had decided). */
	mapped: z.number().int().min(0).optional(),
	/**
	 * How many controls the source named without stating their status, e.g. an OSCAL plan whose requirement
	 * has no implementation-status. They are not reported: no entry in `controls` comes from them, so unless
	 * another source reports them they count as applicable and not implemented. Absent when there are none.
	 */
	notReported: z.number().int().min(1).optional(),
});

/** The status of one control at the time of the snapshot. */
export const ControlStatusEntrySchema = z.strictObject({
	/** Id of the catalog in `content/catalogs/`, e.g. `iso27001-2022`. */
	catalog: slugId,
	/** Id of the control in that catalog, e.g. `A.5.15`. */
	control: z.string().min(1),
	/** implemented, partial, planned, failing or not-applicable. */
	status: z.enum(CONTROL_STATUSES),
	/** Date of the newest evidence that supports the status. */
	evidenceDate: isoDate,
	/** Id of the source in `sources` that reported this status. */
	source: slugId,
});

/** `content/control-status.json`: a point-in-time snapshot of every control's status. */
export const ControlStatusSnapshotSchema = z.strictObject({
	/** When the snapshot was taken, as an ISO 8601 date-time, e.g. `2026-11-20T06:00:00Z`. */
	asOf: z.iso.datetime({
		offset: true,
		error: (i) =>
			`expected an ISO 8601 date-time like "2026-11-20T06:00:00Z", received ${describe(i.input)}`,
	}),
	/** The sources the statuses came from. */
	sources: z.array(StatusSourceSchema).min(1),
	/** One entry per control. */
	controls: z.array(ControlStatusEntrySchema),
	/** SHA-256 (hex) of the canonical snapshot without this field, so a buyer can check the published figures. Written by the pull. */
	digest: z
		.string()
		.regex(/^[0-9a-f]{64}$/, { error: 'expected a 64-character lowercase hex SHA-256 digest' })
		.optional(),
});

export type StatusSource = z.output<typeof StatusSourceSchema>;
export type ControlStatusEntry = z.output<typeof ControlStatusEntrySchema>;
export type ControlStatusSnapshot = z.output<typeof ControlStatusSnapshotSchema>;
