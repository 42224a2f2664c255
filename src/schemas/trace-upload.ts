import { z } from 'zod';
import { startsAsPdf } from '../lib/files.ts';
import { describeKind } from './messages.ts';

/**
 * The form of the console's trace (`POST /admin/trace/`, multipart/form-data): the leaked copy (its bytes, as the
 * upload middleware reads a file field), and the console's form token (checked before this schema).
 */
export const TraceUploadSchema = z.object({
	/** The PDF to trace: one file, starting with `%PDF-`. Its size is capped before it is read (413). */
	pdf: z
		.instanceof(Uint8Array, {
			error: (i) =>
				i.input === undefined || i.input === ''
					? 'choose the PDF file to trace'
					: `expected a file, received ${describeKind(i.input)}; choose the PDF file to trace`,
		})
		.refine((bytes) => bytes.length > 0, {
			error: 'the chosen file is empty; choose the leaked PDF itself',
		})
		.refine(startsAsPdf, {
			error:
				'expected a PDF file (one that starts with %PDF-), but this file is something else; choose the PDF itself, not a screenshot or a ZIP of it',
		}),
	/** The console's anti-forgery token; checked before the schema. */
	csrf: z.string().optional(),
});

export type TraceUpload = z.output<typeof TraceUploadSchema>;
