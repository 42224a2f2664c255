import { renderedLines } from '../nda/visibility.ts';
import type { TrustContent } from './load.ts';
import type { Problem } from './problems.ts';
import type { SourcePage } from './source-pages.ts';

/** The value of a quoted attribute of the first `<Element …>` on a line (not a `{…}` expression, which is not checked). */
const attribute = (line: string, element: string, name: string): string | undefined => {
	const tag = new RegExp(`<${element}\\b[^>]*?\\b${name}=(?:"([^"]*)"|'([^']*)')`).exec(line);
	return tag ? (tag[1] ?? tag[2]) : undefined;
};

/**
 * The props of the MDX components that name content, checked against the content before any page
 * renders: a `<ControlCoverage framework>` that is no framework with a catalog (an error; inside
 * `<NdaOnly>` only the whitepaper's build would find it, minutes later, without the file), and a
 * `<SubprocessorTable purpose>` no subprocessor has (a warning: the table would be empty).
 */
export function checkComponentProps(
	pages: readonly SourcePage[],
	content: TrustContent,
): Problem[] {
	const catalogs = new Set(content.catalogs.map((c) => c.data.id));
	const withCatalog = content.frameworks
		.filter((f) => f.data.catalog !== undefined && catalogs.has(f.data.catalog))
		.map((f) => f.data.id);
	const purposes = [...new Set(content.subprocessors.map((s) => s.data.purpose))];
	const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');
	const problems: Problem[] = [];
	for (const page of pages)
		renderedLines(page.body).forEach((line, i) => {
			const at = { file: page.file, field: '', line: page.bodyLine + i };
			const framework = attribute(line, 'ControlCoverage', 'framework');
			if (framework !== undefined && !withCatalog.includes(framework))
				problems.push({
					...at,
					severity: 'error',
					message: `<ControlCoverage framework="${framework}">: expected the id of a framework with a catalog, one of ${list(withCatalog)}`,
					hint: 'Fix the framework prop. A framework has a catalog when its `catalog` field names a file in content/catalogs/.',
				});
			const purpose = attribute(line, 'SubprocessorTable', 'purpose');
			if (purpose !== undefined && !purposes.includes(purpose))
				problems.push({
					...at,
					severity: 'warning',
					message: `<SubprocessorTable purpose="${purpose}"> shows no subprocessor: none has that purpose; the purposes are ${list(purposes)}`,
					hint: 'Write the purpose exactly as a subprocessor file has it, or leave purpose out to show them all.',
				});
		});
	return problems;
}
