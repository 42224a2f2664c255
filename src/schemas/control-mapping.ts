import { z } from 'zod';
import { controlRef } from './fields.ts';
import { describe } from './messages.ts';

const Targets = z
	.union([controlRef, z.array(controlRef).min(1)], {
		error: (issue) =>
			`expected a control reference like "iso27001-2022:A.5.15" or a list of them, like [iso27001-2022:A.5.15, soc2-2017:CC6.1], received ${describe(issue.input)}`,
	})
	.transform((t) => (Array.isArray(t) ? t : [t]));

/**
 * The mapping file named by `controlStatus.mappingFile` in `content/site.yaml`: which catalog controls a
 * source's own ids stand for. Keys match source ids case-insensitively; every target must be a control
 * of a catalog, and every `sources` key a configured source, or the pull fails naming it. Ids not listed
 * here are looked up in the source's `catalog` as they are, else in NIST SP 800-53's spelling.
 */
export const ControlMappingSchema = z.strictObject({
	/** Mappings for every source: `"AC-2": [iso27001-2022:A.5.16, soc2-2017:CC6.2]`. */
	all: z.record(z.string(), Targets).default({}),
	/** Mappings for one source, by source id; they win over `all`. */
	sources: z.record(z.string(), z.record(z.string(), Targets)).default({}),
});

export type ControlMappingFile = z.output<typeof ControlMappingSchema>;
