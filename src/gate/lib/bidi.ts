// Right-to-left text on one line: the Unicode Bidirectional Algorithm (UAX #9) reduced to what a watermark needs.
// Each field (a name, a company) is laid out as its own isolate, so there are no explicit embeddings, no
// paragraph breaks and no line breaking. Implemented: paragraph level (P2–P3), weak types (W1–W7), neutrals
// (N1–N2), implicit levels (I1–I2), reordering (L2) and mirroring of paired punctuation (L4). Left out:
// bracket pairs (N0), which only matter for brackets that enclose text of the other direction.

type BidiClass = 'L' | 'R' | 'AL' | 'EN' | 'AN' | 'ES' | 'ET' | 'CS' | 'NSM' | 'WS' | 'ON';

// JavaScript regexes do not expose Bidi_Class, so it is derived from Script and General_Category, which gives the
// Unicode class for every letter, digit, mark and common punctuation a name or company can hold.
const NSM = /[\p{Mn}\p{Me}\u200C\u200D]/u;
const EN = /[0-9\u00B2\u00B3\u00B9\u06F0-\u06F9\u2070\u2074-\u2079\u2080-\u2089\uFF10-\uFF19]/u;
const AN = /[\u0600-\u0605\u0660-\u0669\u066B\u066C\u06DD\u08E2]/u;
const ES = /[+\-\u207A\u207B\u208A\u208B\u2212\uFB29\uFE62\uFE63\uFF0B\uFF0D]/u;
const ET = /[#$%\p{Sc}\u00B0\u00B1\u0609\u060A\u066A\u2030-\u2034]/u;
const CS = /[,./:\u00A0\u060C\u202F\u2044\uFE50\uFE52\uFE55\uFF0C\uFF0E\uFF0F\uFF1A]/u;
const AL = /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Hanifi_Rohingya}]/u;
const R =
	/[\p{Script=Hebrew}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Nko}\p{Script=Adlam}\p{Script=Mende_Kikakui}]/u;
const L = /[\p{L}\p{Mc}\p{Nd}\p{Nl}]/u;

function bidiClass(ch: string): BidiClass {
	if (NSM.test(ch)) return 'NSM';
	if (EN.test(ch)) return 'EN';
	if (AN.test(ch)) return 'AN';
	if (ES.test(ch)) return 'ES';
	if (CS.test(ch)) return 'CS';
	if (ET.test(ch)) return 'ET';
	if (/\s/u.test(ch)) return 'WS';
	if (AL.test(ch)) return 'AL';
	if (R.test(ch)) return 'R';
	return L.test(ch) ? 'L' : 'ON';
}

const MIRRORED: Record<string, string> = {
	'(': ')',
	')': '(',
	'[': ']',
	']': '[',
	'{': '}',
	'}': '{',
	'<': '>',
	'>': '<',
	'«': '»',
	'»': '«',
	'‹': '›',
	'›': '‹',
};

/** A stretch of text drawn in one direction: `text` in logical order, `shaped` with L4 mirroring applied. */
export interface DirectionalRun {
	text: string;
	/** What to lay out: `text` with brackets mirrored where they are drawn right to left. */
	shaped: string;
	rtl: boolean;
}

/** The embedding level of every code point of `chars`, with the paragraph's direction taken from its first strong letter. */
function levels(chars: string[]): number[] {
	const types = chars.map(bidiClass);
	const first = types.find((t) => t === 'L' || t === 'R' || t === 'AL');
	const base = first === 'R' || first === 'AL' ? 1 : 0;
	const sos: BidiClass = base ? 'R' : 'L';
	// W1: a mark takes the type of what it marks.
	types.forEach((t, i) => {
		if (t === 'NSM') types[i] = i ? types[i - 1]! : sos;
	});
	// W2, W3: digits after Arabic letters are Arabic numbers; Arabic letters are then plain right to left.
	let strong: BidiClass = sos;
	types.forEach((t, i) => {
		if (t === 'L' || t === 'R' || t === 'AL') strong = t;
		else if (t === 'EN' && strong === 'AL') types[i] = 'AN';
	});
	types.forEach((t, i) => {
		if (t === 'AL') types[i] = 'R';
	});
	// W4: one separator between two numbers of a kind joins them.
	for (let i = 1; i < types.length - 1; i++) {
		const [before, t, after] = [types[i - 1], types[i], types[i + 1]];
		if (before === 'EN' && after === 'EN' && (t === 'ES' || t === 'CS')) types[i] = 'EN';
		else if (before === 'AN' && after === 'AN' && t === 'CS') types[i] = 'AN';
	}
	// W5: terminators (%, $, °) next to European numbers belong to them.
	for (let i = 0; i < types.length; i++) {
		if (types[i] !== 'ET') continue;
		let end = i;
		while (end < types.length && types[end] === 'ET') end++;
		if (types[i - 1] === 'EN' || types[end] === 'EN') types.fill('EN', i, end);
		i = end;
	}
	// W6: separators and terminators left over are neutral.
	types.forEach((t, i) => {
		if (t === 'ES' || t === 'ET' || t === 'CS') types[i] = 'ON';
	});
	// W7: European numbers in left-to-right context are left to right.
	strong = sos;
	types.forEach((t, i) => {
		if (t === 'L' || t === 'R') strong = t;
		else if (t === 'EN' && strong === 'L') types[i] = 'L';
	});
	// N1, N2: neutrals between text of one direction take it (numbers count as right to left); others take the paragraph's.
	const direction = (t: BidiClass | undefined, edge: BidiClass): BidiClass =>
		t === undefined ? edge : t === 'L' ? 'L' : 'R';
	for (let i = 0; i < types.length; i++) {
		if (types[i] !== 'WS' && types[i] !== 'ON') continue;
		let end = i;
		while (end < types.length && (types[end] === 'WS' || types[end] === 'ON')) end++;
		const before = direction(types[i - 1], sos);
		const resolved = before === direction(types[end], sos) ? before : sos;
		types.fill(resolved, i, end);
		i = end;
	}
	// I1, I2.
	return types.map((t) =>
		base === 0
			? t === 'R'
				? 1
				: t === 'AN' || t === 'EN'
					? 2
					: 0
			: t === 'L' || t === 'EN' || t === 'AN'
				? 2
				: 1,
	);
}

/**
 * Splits one isolated field into runs of one direction, in the order they are drawn from left to right. Its
 * direction is that of its first strong letter, so "محمد علي 2" reads right to left and "Ada (محمد)" left to
 * right. Every run keeps its text in logical order; a right-to-left run is laid out, and so reversed, by the shaper.
 */
export function visualRuns(text: string): DirectionalRun[] {
	const chars = Array.from(text);
	if (!chars.length) return [];
	const level = levels(chars);
	const runs: { start: number; end: number; level: number }[] = [];
	level.forEach((l, i) => {
		const last = runs.at(-1);
		if (last && last.level === l) last.end = i + 1;
		else runs.push({ start: i, end: i + 1, level: l });
	});
	// L2: from the highest level down to 1, reverse every sequence of runs at that level or above.
	for (let l = Math.max(...level); l >= 1; l--) {
		for (let i = 0; i < runs.length; i++) {
			if (runs[i]!.level < l) continue;
			let end = i;
			while (end < runs.length && runs[end]!.level >= l) end++;
			runs.splice(i, end - i, ...runs.slice(i, end).reverse());
			i = end;
		}
	}
	return runs.map(({ start, end, level: l }) => {
		const run = chars.slice(start, end);
		const rtl = l % 2 === 1;
		return {
			text: run.join(''),
			shaped: rtl ? run.map((ch) => MIRRORED[ch] ?? ch).join('') : run.join(''),
			rtl,
		};
	});
}
