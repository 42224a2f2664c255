import type { Texts } from '../text.ts';

/** The English texts of the pages in src/pages/. */
export const PAGES = {
	// The overview (src/pages/index.astro).
	'overview.title': '{company} Trust Center',
	'overview.lastUpdated': 'Last updated {date}',
	'overview.statusAsOf': ' · control status as of {date}',
	'overview.compliance': 'Compliance',
	'overview.allFrameworks': 'All frameworks',
	'overview.practices': 'Security practices',
	'overview.latestUpdates': 'Latest updates',
	'overview.allUpdates': 'All updates',
	'overview.allDocuments': 'All documents',
	'overview.fullList': 'Full list',
	'overview.subprocessorFiles':
		' The list is also available as <json>JSON</json> and <csv>CSV</csv>, and changes are announced in the <feed>updates feed</feed>.',
	'overview.stayInformed': 'Stay informed',
	'overview.stayInformedText':
		'Get our security updates, incident notices and subprocessor changes by email.',
	'overview.contacts': 'Contacts',
	'contact.security': 'Security',
	'contact.privacy': 'Privacy',
	'contact.status': 'System status',
	'contact.vulnerabilities': 'Vulnerability reports',
	// The 404 page (src/pages/404.astro); its title stays "404".
	'notFound.tagline': 'Page not found. Check the URL, search, or start from the overview.',
	'notFound.action': 'Go to the overview',
	// The NDA request page (src/pages/access/index.astro). Its field labels name the fields the gate's
	// messages talk about.
	'access.title': 'Request access to NDA documents',
	'access.description':
		"Accept {company}'s NDA to receive the security whitepaper, audit reports and other confidential documents.",
	'access.intro':
		'Our security whitepaper and audit reports are shared under a non-disclosure agreement. Read it, fill in the form, and we email you a confirmation link. Once you confirm, most requests are approved at once; some wait for our security team.',
	// {hash} is the agreement's SHA-256 digest, in a <code>.
	'access.ndaVersion': 'Version {version}, effective {effective}. SHA-256 {hash}',
	// The name screen readers give the scrolling box with the agreement ({title} is the agreement's title).
	'access.ndaFullText': '{title}, full text',
	'access.aboutYou': 'About you',
	'access.fullName': 'Full name',
	'access.workEmail': 'Work email',
	'access.emailHint':
		'We send a confirmation link here. Requests from free-mail addresses are reviewed by hand.',
	'access.company': 'Company',
	'access.role': 'Role',
	'access.reason': 'Reason (optional)',
	'access.sign': 'Sign the NDA',
	// {domains}: the domains whose addresses need not sign, in a list.
	'access.waiver':
		'The NDA is waived for email addresses at {domains}: with such an address, you may leave the signature and the box below blank. Every copy is still watermarked for you.',
	'access.typedName': 'Type your full name to sign',
	// {nda}: the agreement's title in lower case ("non-disclosure agreement").
	'access.accept': 'I accept the {nda} (version {version}) on behalf of my company',
	'access.submit': 'Accept the NDA and request access',
	// Without the access gate: {email} is the security contact's address, a link to write to it.
	'access.byEmail':
		'Our security whitepaper and audit reports are shared under a non-disclosure agreement. To ask for them, write to {email} with your name, company and the documents you need.',
	// The documents page (src/pages/documents/index.astro); its title is section.documents.
	'documents.description':
		'Audit reports, certificates and letters from {company}, public or under NDA.',
	'documents.empty':
		'No documents are published here yet. For audit reports, certificates or other evidence, write to <mail>{email}</mail>.',
	// {request}: the words of the request link (requestAccess.access).
	'documents.intro':
		'Public documents download directly. Documents under NDA are shared after you accept our NDA: use "{request}".',
	// Without the access gate; {request}: the words of the request link (requestAccess.byEmail).
	'documents.introByEmail':
		'Public documents download directly. Documents under NDA are shared once a non-disclosure agreement is in place: use "{request}" to write to {email}.',
	// A document's download link; {title}, the document's title, is read to screen readers only.
	'documents.download': 'Download {title}',
	// The FAQ page (src/pages/faq/index.astro).
	'faq.title': 'Frequently asked questions',
	'faq.description':
		'Answers to the security, privacy and compliance questions customers ask {company} most.',
	'faq.empty': 'No questions are answered here yet. Write yours to <mail>{email}</mail>.',
	// {frameworks}: links to the frameworks an answer relates to.
	'faq.related': 'Related: {frameworks}',
	// The frameworks page (src/pages/frameworks/index.astro); its title is section.frameworks.
	'frameworks.description':
		'Certifications, audits and regulations {company} meets, with live control counts.',
	'frameworks.counts':
		'Counts come from our control-status snapshot of {date}. Controls that do not apply to us are left out of each denominator and shown apart.',
	'frameworks.empty':
		'No certifications, audits or regulations are listed here yet. For questions about our compliance, write to <mail>{email}</mail>.',
	// A framework's page (src/pages/frameworks/[id].astro). {framework} is its short name, {unit} what
	// its catalog counts ("controls").
	'framework.controlStatus': 'Control status',
	'framework.badge': 'Badge',
	// Before the framework's scope, in bold.
	'framework.scopeLead': 'Scope.',
	'framework.byStatus': '{unit} by status',
	'framework.noStatus': 'No status reported: {count}',
	'framework.chartTitle': '{framework}: {unit} by status and domain',
	// {request}: the request link for the NDA whitepaper.
	'framework.ndaControlList':
		'The status of each individual control is in the NDA edition of our security whitepaper. {request}.',
	'framework.everyControl': '{framework}: every control',
	'framework.badgeText':
		'Put this badge on your own site or in a README; it always shows our current status.',
	// {format}: HTML or Markdown.
	'framework.embedCode': '{format} embed code',
	// The policies page (src/pages/policies/index.astro); its title is section.policies.
	'policies.description':
		'The {company} security and privacy policy library: versions, owners and review dates.',
	'policies.empty':
		'No policies are published here yet. To ask for one, write to <mail>{email}</mail>.',
	// {nda}: the "Under NDA" badge's words (value.nda), in italics.
	'policies.intro': 'Every policy has an owner, an approver and a review cycle.',
	// After policies.intro when a policy's full text is NDA-only.
	'policies.introNda':
		'Policies marked {nda} show their summary here; the full text is in the NDA edition of our security whitepaper, which you can <request>request</request>.',
	// A policy's page (src/pages/policies/[id].astro).
	'policy.controlsCovered': 'Controls covered',
	'policy.state': 'State',
	'policy.approvedBy': 'Approved by',
	'policy.effective': 'Effective',
	// Before the policy's summary, in bold.
	'policy.summaryLead': 'Summary.',
	'policy.fullTextUnderNda': 'Full text under NDA',
	// {request}: the request link for the NDA whitepaper.
	'policy.ndaText':
		'The full text of this policy is shared under NDA, in the NDA edition of our security whitepaper. {request}.',
	// The subprocessors page (src/pages/subprocessors/index.astro); its title is section.subprocessors.
	// The …Mailing texts are for a site that sends its updates by email.
	'subprocessorsPage.description':
		'Third parties that process customer data for {company}: purpose, data, locations and transfer mechanisms.',
	'subprocessorsPage.empty':
		'No subprocessors are listed yet. We announce new subprocessors before they start: follow the <feed>updates feed</feed>.',
	'subprocessorsPage.emptyMailing':
		'No subprocessors are listed yet. We announce new subprocessors before they start: subscribe below to be told by email, or follow the <feed>updates feed</feed>.',
	// {named}: the words the table shows under a subprocessor it does not name (subprocessorTable.namedUnderNda).
	'subprocessorsPage.intro':
		'These companies process customer data on our behalf. We announce new subprocessors before they start, with the date until which you can object: follow the <feed>updates feed</feed>. Machine-readable copies: <json>subprocessors.json</json> and <csv>subprocessors.csv</csv>.',
	'subprocessorsPage.introMailing':
		'These companies process customer data on our behalf. We announce new subprocessors before they start, with the date until which you can object: subscribe below to be told by email, or follow the <feed>updates feed</feed>. Machine-readable copies: <json>subprocessors.json</json> and <csv>subprocessors.csv</csv>.',
	// After the intro when a subprocessor is named only under NDA.
	'subprocessorsPage.introNda':
		'Entries marked "{named}" are described generically here; their names are in the NDA edition of our security whitepaper.',
	'subprocessorsPage.subscribeHeading': 'Get subprocessor changes by email',
	// The subscribe page (src/pages/subscribe/index.astro).
	'subscribe.title': 'Subscribe to updates',
	'subscribe.description':
		"Get {company}'s security updates, incident notices and subprocessor changes by email.",
	'subscribe.intro':
		'Choose what you want to hear about. Subprocessor changes are announced before they take effect, with the date until which you can object.',
	'subscribe.noMail':
		'This trust center does not send updates by email. Follow the <feed>updates feed</feed> instead.',
	// The updates page (src/pages/updates/index.astro); its title is section.updates. An update's own
	// page links back with overview.allUpdates.
	'updates.description':
		'Certification news, subprocessor changes, incidents and policy changes at {company}.',
	'updates.feeds': 'Follow the <atom>Atom feed</atom> or the <json>JSON Feed</json>.',
	'updates.feedsMailing':
		'Get each update by email below, or follow the <atom>Atom feed</atom> or the <json>JSON Feed</json>.',
	'updates.emptyFeeds':
		'No updates yet. Follow the <atom>Atom feed</atom> or the <json>JSON Feed</json>.',
	'updates.emptyFeedsMailing':
		'No updates yet. Get each update by email below, or follow the <atom>Atom feed</atom> or the <json>JSON Feed</json>.',
	// An update's own page, for a notice that names the subprocessors it announces.
	'update.subprocessors': 'Subprocessors in this notice',
} as const satisfies Texts;
