// Markup for the console's pages: a tagged template that escapes every value put into it, so that no
// page can forget to. Values that are already markup are wrapped with `raw` (only this module's
// templates make them).
import { utcMinute } from '../../../lib/dates.ts';
import { esc } from '../../../lib/html.ts';

/** A piece of markup whose values were escaped when it was made. */
export class Html {
	readonly value: string;
	constructor(value: string) {
		this.value = value;
	}
	toString(): string {
		return this.value;
	}
}

/** Something a template may hold: text (escaped), markup, lists of either, or nothing. */
export type Part = string | number | Html | readonly Part[] | false | null | undefined;

function render(part: Part): string {
	if (part === false || part === null || part === undefined) return '';
	if (part instanceof Html) return part.value;
	if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
	return esc(String(part));
}

/** Markup with every interpolated value escaped: html`<p>${name}</p>`. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
	return new Html(strings.reduce((out, s, i) => out + render(values[i - 1]) + s));
}

/** Markup written by the gate itself (never from a request), used as it is. */
export function raw(markup: string): Html {
	return new Html(markup);
}

/** A time as the console shows it: to the minute, in UTC, e.g. `2026-11-23 10:00 UTC`. */
export const when = utcMinute;
