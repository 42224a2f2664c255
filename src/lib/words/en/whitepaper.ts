import type { Texts } from '../text.ts';

/** The English texts of src/whitepaper/. */
export const WHITEPAPER = {
	// The whitepaper's name on its cover, and its title: on the PDF and its print page (`title`), and
	// where the access page, mails and grants list it among the documents (`documentTitle`).
	'whitepaper.name': 'Security Whitepaper — NDA edition',
	'whitepaper.title': '{company} Security Whitepaper — NDA edition',
	'whitepaper.documentTitle': '{company} Security Whitepaper (NDA edition)',
	// The PDF's document properties (make.ts); `asOf` is the snapshot's ISO time.
	'whitepaper.pdfSubject':
		'Security and compliance of {company}, provided under NDA. Control status as of {asOf}.',
	'whitepaper.keywordSecurity': 'security',
	'whitepaper.keywordCompliance': 'compliance',
	'whitepaper.keywordEdition': 'NDA edition',
	'whitepaper.keywordVersion': 'version {version}',
	// The running header and footer in every page's margins (print.css): `{page}` and `{pages}` become
	// the page number and the page count.
	'whitepaper.runningHeader': 'Confidential — provided under NDA',
	'whitepaper.pageOf': 'Page {page} of {pages}',
	// The cover (Cover.astro).
	'cover.label': 'Cover',
	'cover.statusAsOf': 'Control status as of',
	'cover.issuedBy': 'Issued by',
	'cover.notice':
		'Confidential — provided under NDA. This edition names our subprocessors and includes implementation details that the public trust center at {url} generalizes. Every copy is issued to one recipient. Do not forward it.',
	// The table of contents, and the chapter titles it lists (chapters.ts) that are not the sidebar's.
	'whitepaper.contents': 'Contents',
	'whitepaper.chapterAbout': 'About this document',
	'whitepaper.chapterFrameworks': 'Frameworks and control status',
	'whitepaper.chapterUpdates': 'Updates shared under NDA',
	'whitepaper.chapterFaq': 'Frequently asked questions',
	'whitepaper.chapterContacts': 'Contacts',
	// "About this document": {nda} is the "Under NDA" badge, {digest} the snapshot's digest in code.
	'whitepaper.aboutEdition':
		"This is the NDA edition of {company}'s security whitepaper, version {version}. It is made from the same sources as our public trust center, and adds what the public site leaves out: the status of every control with its last evidence date, the sections of our architecture documentation marked {nda}, the names of all subprocessors, and the full text of policies shared under NDA.",
	'whitepaper.aboutStatus': {
		one: 'Control status was pulled from our compliance sources ({sources}) as of {asOf}. Its evidence ages were judged when this edition was made, at {madeAt}: a control whose evidence was then older than {count} day counts as stale, whatever its last status, except a failing one, which stays failing. Snapshot digest: {digest}.',
		other:
			'Control status was pulled from our compliance sources ({sources}) as of {asOf}. Its evidence ages were judged when this edition was made, at {madeAt}: a control whose evidence was then older than {count} days counts as stale, whatever its last status, except a failing one, which stays failing. Snapshot digest: {digest}.',
	},
	'whitepaper.digestNotRecorded': 'not recorded',
	// A security architecture chapter that is NDA-only as a whole, after the "Under NDA" badge.
	'whitepaper.sectionUnderNda': 'This whole section is shared under NDA.',
	// The frameworks chapter: `{framework}` is the framework's short name, `{unit}` what its catalog counts.
	'whitepaper.chartTitle': '{framework}: {unit} by status and domain',
	'whitepaper.controlListCaption': '{framework}: status of every control',
	// The subprocessors chapter.
	'whitepaper.subprocessorsIntro':
		'Every subprocessor, named. Where the public site shows a descriptor in place of the name, the descriptor is given below the name.',
	// The policies chapter: the line under each policy printed in full.
	'whitepaper.policyPartlyNda': 'Public policy with NDA-only sections.',
	'whitepaper.policyMeta':
		'Version {version} · owner {owner} · approved by {approver} · last reviewed {date}',
	// The documents chapter: where to get each document, at its address, which links to it.
	'whitepaper.documentsIntro':
		'The audit reports, certificates and letters listed on our trust center. Public documents download from the address given; documents under NDA are shared on request.',
	'whitepaper.howToGet': 'How to get it',
	'whitepaper.downloadAt': 'Download at <link>{address}</link>',
	'whitepaper.requestAt': 'Request at <link>{address}</link>',
	'whitepaper.requestByEmail': 'Request by e-mail to <link>{address}</link>',
	'whitepaper.validUntil': 'valid until {date}',
	// The updates chapter: the line under each update's title.
	'whitepaper.updateMeta': '{date} · {kind}',
	// The contacts chapter; {url} is the address of security.txt, and links to it.
	'whitepaper.contactSecurity': 'Security',
	'whitepaper.contactPrivacy': 'Privacy',
	'whitepaper.contactStatusPage': 'Status page',
	'whitepaper.reportVulnerability': 'Report a vulnerability as described at <link>{url}</link>.',
} as const satisfies Texts;
