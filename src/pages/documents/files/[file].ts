import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRoute } from 'astro';
import { getCollection, type CollectionEntry } from 'astro:content';
import { chooseContentDir } from '../../../lib/content/dir.ts';
import { publicEditionOnly } from '../../../lib/nda/edition.ts';
import { documentFileUrl } from '../../../lib/routing/urls.ts';

// Only public documents get a path; NDA files stay in the content folder and never reach dist/.
export async function getStaticPaths() {
	return publicEditionOnly(
		(await getCollection('documents'))
			.filter((d) => documentFileUrl(d.data))
			.map((d) => ({
				params: { file: documentFileUrl(d.data)!.split('/').at(-1)! },
				props: { doc: d.data },
			})),
	);
}

export const GET: APIRoute = async ({ props }) => {
	const { doc } = props as { doc: CollectionEntry<'documents'>['data'] };
	const bytes = await readFile(
		join(process.cwd(), chooseContentDir(process.cwd()), 'documents', doc.file),
	);
	return new Response(bytes, {
		headers: {
			'Content-Type': doc.file.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream',
		},
	});
};
