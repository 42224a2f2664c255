import type { Texts } from '../text.ts';

/** The English texts of src/components/. */
export const COMPONENTS = {
	// ControlList.astro: every control of a framework, with its status and evidence.
	'controlList.control': 'Control',
	'controlList.lastEvidence': 'Last evidence',
	'controlList.source': 'Source',
	'controlList.lastReported': 'last reported {status}',
	// CountsHeadline.astro: "81 of 89 Annex A controls implemented", the number in bold.
	'countsHeadline.implemented': '{implemented} of {applicable} {unit} implemented',
	// CoverageChart.astro: the chart's description for screen readers when it has no domain rows.
	'coverageChart.description': '{summary}.',
	// Footer.astro: the line that ends every page.
	'footer.copyright': '© {year} {company}',
	'footer.updatesFeed': 'Updates feed',
	// FrameworkFacts.astro: a framework's facts.
	'frameworkFacts.auditor': 'Auditor',
	'frameworkFacts.issued': 'Issued',
	// RequestAccess.astro: the link to an NDA document. The words in <hidden> are read to screen readers only.
	'requestAccess.access': 'Request access',
	'requestAccess.accessTo': 'Request access<hidden> to {title}</hidden>',
	'requestAccess.byEmail': 'Request by e-mail',
	'requestAccess.byEmailFor': 'Request by e-mail<hidden>: {title}</hidden>',
	// StatusAsOf.astro: when a framework's counts were taken and how evidence age is judged.
	'statusAsOf.fromSources': 'Status as of {asOf}, from {sources}.',
	'statusAsOf.noSource': 'Status as of {asOf}; no source reported a control of this framework.',
	'statusAsOf.evidenceAge': {
		one: 'Evidence age judged at {judgedAt}: applicable controls whose evidence was then older than {count} day count as stale, whatever their last status, except failing ones, which stay failing. Not-applicable controls are left out of the denominator.',
		other:
			'Evidence age judged at {judgedAt}: applicable controls whose evidence was then older than {count} days count as stale, whatever their last status, except failing ones, which stay failing. Not-applicable controls are left out of the denominator.',
	},
	// SubscribeForm.astro: the subscribe form.
	'subscribeForm.label': 'Subscribe by email',
	'subscribeForm.email': 'Email',
	'subscribeForm.placeholder': 'you@company.com',
	'subscribeForm.subscribe': 'Subscribe',
	'subscribeForm.topics': 'Topics',
	'subscribeForm.note':
		'We email you a link to confirm; nothing is sent before you do. Every mail has a link to change topics or unsubscribe in one click. Your address is used for these mails only.',
	// mdx/ControlCoverage.astro: a framework's counts by domain.
	'controlCoverage.caption': '{framework}: {unit} by domain',
	'controlCoverage.ofApplicable': '{implemented} of {applicable}',
	'controlCoverage.stale': 'Stale',
	'controlCoverage.coverage': 'Coverage',
	'controlCoverage.notApplicable': 'not applicable',
	'controlCoverage.allDomains': 'All domains',
	// mdx/EncryptionTable.astro.
	'encryptionTable.caption': 'Encryption by surface',
	'encryptionTable.surface': 'Surface',
	'encryptionTable.atRest': 'At rest',
	'encryptionTable.inTransit': 'In transit',
	'encryptionTable.keyManagement': 'Key management',
	// mdx/FrameworkGrid.astro: the title of a card's chart (read by screen readers).
	'frameworkGrid.chartTitle': '{framework}: {unit}',
	// mdx/MetricsTable.astro.
	'metricsTable.caption': 'Service commitments',
	'metricsTable.metric': 'Metric',
	'metricsTable.target': 'Target',
	'metricsTable.notes': 'Notes',
	// mdx/NdaOnly.astro: after the NDA badge, in the NDA whitepaper.
	'ndaOnly.shared': 'Shared under NDA',
	// mdx/PolicyList.astro.
	'policyList.caption': 'Policy library',
	'policyList.policy': 'Policy',
	// mdx/RolesMatrix.astro.
	'rolesMatrix.caption': 'Roles and permissions',
	'rolesMatrix.action': 'Action',
	'rolesMatrix.yes': 'Yes',
	'rolesMatrix.no': 'No',
	'rolesMatrix.approval': 'With approval',
	'rolesMatrix.breakGlass': 'Break-glass only',
	// mdx/SeverityTiers.astro.
	'severityTiers.caption': 'Incident severity tiers and targets',
	'severityTiers.level': 'Level',
	'severityTiers.meaning': 'Meaning',
	'severityTiers.response': 'Response',
	'severityTiers.updates': 'Status updates',
	'severityTiers.notification': 'Customer notification',
	// mdx/SubprocessorTable.astro.
	'subprocessorTable.none': 'No subprocessors are listed.',
	'subprocessorTable.noneFor': 'No subprocessors are listed for {purpose}.',
	'subprocessorTable.filters': 'Filter subprocessors',
	'subprocessorTable.region': 'Region',
	'subprocessorTable.allRegions': 'All regions',
	'subprocessorTable.purpose': 'Purpose',
	'subprocessorTable.allPurposes': 'All purposes',
	'subprocessorTable.captionFor': 'Subprocessors: {purpose}',
	'subprocessorTable.subprocessor': 'Subprocessor',
	'subprocessorTable.data': 'Data',
	'subprocessorTable.locations': 'Locations',
	'subprocessorTable.transfer': 'Transfer mechanism',
	'subprocessorTable.namedUnderNda': 'Named under NDA',
	'subprocessorTable.publicDescriptor': 'Public descriptor: {descriptor}',
	'subprocessorTable.notified': 'Notified {notified}, starts {starts}',
	'subprocessorTable.removed': 'Removed {removed}',
} as const satisfies Texts;
