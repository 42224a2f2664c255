/**
 * Kinds of personal or customer data a subprocessor may touch. Authors extend this list: add a new
 * category here, then use its id in `content/subprocessors/*.yaml`.
 */
export const DATA_CATEGORIES = {
	'customer-content': 'Customer content',
	'account-data': 'Account data (names, work emails)',
	'billing-data': 'Billing data',
	'usage-data': 'Usage and telemetry data',
	'support-data': 'Support conversations',
	'employee-data': 'Employee data',
	'log-data': 'System logs',
	'contact-data': 'Business contact details',
} as const;

export type DataCategory = keyof typeof DATA_CATEGORIES;
export const DATA_CATEGORY_IDS = Object.keys(DATA_CATEGORIES) as [DataCategory, ...DataCategory[]];
