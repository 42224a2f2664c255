/** The newest of the control-status time and the content dates: when the trust center last changed. */
export function lastUpdated(asOf: string, dates: readonly Date[]): Date {
	return [new Date(asOf), ...dates].reduce((max, d) => (d > max ? d : max));
}
