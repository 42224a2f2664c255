import type { SubscriptionTopic } from '../schemas/update.ts';

/** Human labels for the enumerations in the schemas, in one place. */
export const LABELS: Record<string, string> = {
	certification: 'Certification',
	attestation: 'Attestation',
	regulation: 'Regulation',
	standard: 'Standard',
	certified: 'Certified',
	audited: 'Audited',
	'in-progress': 'In progress',
	aligned: 'Aligned',
	compliant: 'Compliant',
	planned: 'Planned',
	draft: 'Draft',
	approved: 'Approved',
	retired: 'Retired',
	public: 'Public',
	nda: 'Under NDA',
	active: 'Active',
	removed: 'Removed',
	'audit-report': 'Audit report',
	'pen-test-letter': 'Penetration test letter',
	certificate: 'Certificate',
	insurance: 'Insurance',
	'policy-pdf': 'Policy (PDF)',
	'subprocessor-change': 'Subprocessor change',
	incident: 'Incident',
	'policy-change': 'Policy change',
	general: 'General',
	implemented: 'Implemented',
	partial: 'Partial',
	failing: 'Failing',
	'not-applicable': 'Not applicable',
	stale: 'Stale evidence',
	unknown: 'Not reported',
	'review-overdue': 'Review overdue',
};

/** How each subscription topic is named on the subscribe form, the management page and in mails. */
export const TOPIC_LABELS: Record<SubscriptionTopic, string> = {
	all: 'All updates',
	'subprocessor-change': 'Subprocessor changes',
	incident: 'Incidents',
	certification: 'Certifications',
	'policy-change': 'Policy changes',
};

/** The label for an enumeration value; the value itself when none is defined. */
export function label(value: string): string {
	return LABELS[value] ?? value;
}

/** Badge tone for a status, so colour follows meaning consistently (text always carries it too). */
export function tone(value: string): 'good' | 'progress' | 'neutral' | 'bad' {
	if (['certified', 'audited', 'compliant', 'approved', 'active', 'implemented'].includes(value))
		return 'good';
	if (['in-progress', 'partial', 'planned', 'draft', 'aligned'].includes(value)) return 'progress';
	if (['failing', 'removed', 'stale', 'review-overdue'].includes(value)) return 'bad';
	return 'neutral';
}
