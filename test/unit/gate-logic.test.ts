import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseFriendly } from '../../src/schemas/messages.ts';
import { decide, checkRules, mailboxKey, ndaWaiver } from '../../src/gate/lib/access-rules.ts';
import {
	chainEntry,
	checkAnchor,
	GENESIS_HASH,
	verifyChain,
	type AuditEntry,
} from '../../src/gate/lib/audit-chain.ts';
import {
	parseSigningKeys,
	signLink,
	signToken,
	verifyLink,
	verifyToken,
	type SigningKey,
} from '../../src/gate/lib/signed-link.ts';
import { quoteRequester } from '../../src/gate/lib/requester-text.ts';
import { formFields, MAX_FIELDS } from '../../src/gate/middleware/body.ts';
import { GateError } from '../../src/gate/errors.ts';
import { loadAccessConfig } from '../../src/gate/lib/access-config.ts';
import { confirmationMail, grantMail, reviewMail } from '../../src/gate/mail/texts.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { AccessRulesSchema } from '../../src/schemas/access-rules.ts';
import { accessRequestSchema } from '../../src/schemas/access-request.ts';
import { checkCommand, parseCommand, readArgumentFile } from '../../src/gate/cli/commands.ts';
import { cliActor, effectiveUid, loginUid, peerOf } from '../../src/gate/lib/unix-peer.ts';
import { isLoopbackHost, readSettings, redactUrl } from '../../src/gate/config.ts';
import { safeNext } from '../../src/gate/middleware/staff-session.ts';
import { personFrom } from '../../src/gate/services/oidc.ts';
import { failure } from '../../src/gate/mail/delivery.ts';
import { ipBlock } from '../../src/gate/middleware/client-ip.ts';
import { mailerSaid, withoutAddresses } from '../../src/gate/lib/smtp-replies.ts';
import { listenFailure } from '../../src/gate/server.ts';
import {
	admits,
	msUntilAllowed,
	slidingCount,
	type WindowCounts,
} from '../../src/gate/lib/sliding-window.ts';

const keys: SigningKey[] = [
	{ kid: 'k2', secret: Buffer.alloc(32, 2) },
	{ kid: 'k1', secret: Buffer.alloc(32, 1) },
];
const claims = {
	grant: 'grant_0123456789abcdef',
	doc: 'whitepaper',
	link: 'link_aa',
	iat: 1_000_000,
	exp: 1_000_900,
};

describe('signed download links', () => {
	const query = (text: string) => new URLSearchParams(text);
	const signed = signLink(claims, keys);

	it('accepts a link it signed, before expiry and within the clock skew after it', () => {
		expect(verifyLink(query(signed), keys, 1_000_100)).toEqual({ ok: true, claims });
		expect(verifyLink(query(signed), keys, 1_000_960).ok).toBe(true);
	});

	it('refuses a link past expiry plus 60 s of skew as expired', () => {
		expect(verifyLink(query(signed), keys, 1_000_961)).toEqual({ ok: false, refusal: 'expired' });
	});

	it('refuses a link issued more than 60 s in the future as forged', () => {
		expect(verifyLink(query(signed), keys, 999_939)).toEqual({ ok: false, refusal: 'forged' });
		expect(verifyLink(query(signed), keys, 999_940).ok).toBe(true);
	});

	it('refuses a tampered field, a changed signature or an unknown key as forged', () => {
		for (const [from, to] of [
			['doc=whitepaper', 'doc=soc2-type2-report'],
			['exp=1000900', 'exp=1900900'],
			['link=link_aa', 'link=link_ab'],
			['kid=k2', 'kid=k9'],
			['kid=k2', 'kid=k1'],
		]) {
			expect(
				verifyLink(query(signed.replace(from!, to!)), keys, 1_000_100),
				`${from} → ${to}`,
			).toEqual({ ok: false, refusal: 'forged' });
		}
		const sig = query(signed).get('sig')!;
		expect(
			verifyLink(
				query(signed.replace(sig, `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`)),
				keys,
				1_000_100,
			),
		).toEqual({ ok: false, refusal: 'forged' });
	});

	it('accepts one spelling of a signature: no padding, stray characters or standard base64', () => {
		const sig = query(signed).get('sig')!;
		const respelled = [`${sig}.`, `${sig}!!`, `${sig}==`, `${sig.slice(0, 10)}*${sig.slice(10)}`];
		// The same bytes in standard base64: this signature has a url-safe "-" or "_".
		expect(sig).toMatch(/[-_]/);
		respelled.push(sig.replaceAll('-', '+').replaceAll('_', '/'));
		for (const other of respelled) {
			const params = query(signed);
			params.set('sig', other);
			expect(verifyLink(params, keys, 1_000_100), other).toEqual({ ok: false, refusal: 'forged' });
		}
	});

	it('accepts every document id the content allows: "." inside, up to 100 characters', () => {
		for (const doc of ['soc-2.bridge-letter', 'iso-27001-2022.certificate', 'a'.repeat(100)]) {
			const link = signLink({ ...claims, doc }, keys);
			expect(verifyLink(query(link), keys, 1_000_100), doc).toEqual({
				ok: true,
				claims: { ...claims, doc },
			});
		}
	});

	it('keeps verifying links signed with an older key after a new key is added first', () => {
		const old = signLink(claims, [keys[1]!]);
		expect(verifyLink(query(old), keys, 1_000_100).ok).toBe(true);
		expect(verifyLink(query(old), [keys[0]!], 1_000_100)).toEqual({ ok: false, refusal: 'forged' });
	});

	it('refuses missing, repeated or odd parameters as malformed', () => {
		expect(verifyLink(query(''), keys, 1)).toEqual({ ok: false, refusal: 'malformed' });
		expect(verifyLink(query(`${signed}&doc=x`), keys, 1_000_100)).toEqual({
			ok: false,
			refusal: 'malformed',
		});
		expect(verifyLink(query(signed.replace('exp=1000900', 'exp=1e9')), keys, 1_000_100)).toEqual({
			ok: false,
			refusal: 'malformed',
		});
		for (const doc of ['..%2Fetc', '..', '.hidden', 'Whitepaper', 'a'.repeat(101)])
			expect(
				verifyLink(query(signed.replace('doc=whitepaper', `doc=${doc}`)), keys, 1_000_100),
				doc,
			).toEqual({ ok: false, refusal: 'malformed' });
	});

	it('explains a bad GATE_SIGNING_KEYS value', () => {
		expect(parseSigningKeys('')).toEqual({
			ok: false,
			error:
				'GATE_SIGNING_KEYS: no keys. Set it to "kid:secret", e.g. GATE_SIGNING_KEYS="2026-11:$(openssl rand -base64 32)"',
		});
		expect(parseSigningKeys('k1:c2hvcnQ=')).toEqual({
			ok: false,
			error:
				'GATE_SIGNING_KEYS: key "k1": expected a secret of at least 32 bytes, received 5. Make one with: openssl rand -base64 32',
		});
		const refused = (what: string) => ({
			ok: false,
			error: `GATE_SIGNING_KEYS: key 1: expected "kid:secret" with a kid of letters, digits, "-" or "_", received ${what}. Example: GATE_SIGNING_KEYS="2026-11:$(openssl rand -base64 32)"`,
		});
		expect(parseSigningKeys('nocolon')).toEqual(refused('no ":"'));
		// A kid is named; nothing of a secret is, not even written before the kid.
		expect(parseSigningKeys('bad kid!:WySecretText0123456789')).toEqual(
			refused('a kid that is not one (not shown, in case it is the secret)'),
		);
		const key = Buffer.alloc(32, 9).toString('base64');
		expect(parseSigningKeys(`${key}:2026-11`)).toEqual(
			refused('a kid that is not one (not shown, in case it is the secret)'),
		);
		expect(parseSigningKeys(`2026-11:${key}:x`)).toEqual(
			refused('the kid "2026-11" and more than one ":"'),
		);
		expect(parseSigningKeys('2026-11:')).toEqual(refused('the kid "2026-11" and no secret'));
		const secret = Buffer.alloc(32, 7).toString('base64');
		expect(parseSigningKeys(`a:${secret},a:${secret}`)).toEqual({
			ok: false,
			error: 'GATE_SIGNING_KEYS: key id "a" appears twice. Give each key its own id.',
		});
		expect(parseSigningKeys(`new:${secret}, old:${'ab'.repeat(32)}`)).toEqual({
			ok: true,
			keys: [
				{ kid: 'new', secret: Buffer.alloc(32, 7) },
				{ kid: 'old', secret: Buffer.alloc(32, 0xab) },
			],
		});
	});
});

describe('signed tokens (form tokens, the grant page cookie)', () => {
	const token = signToken(keys, 'csrf', 'nonce123', 2_000);

	it('returns the value of a token signed for the same purpose, before it expires', () => {
		expect(token).toMatch(/^nonce123\.2000\.k2\.[A-Za-z0-9_-]{43}$/);
		expect(verifyToken(keys, 'csrf', token, 1_999)).toBe('nonce123');
		expect(verifyToken(keys, 'csrf', token, 2_000)).toBe('nonce123');
		expect(verifyToken(keys, 'csrf', signToken([keys[1]!], 'csrf', 'n', 9), 1)).toBe('n');
	});

	it('refuses a wrong MAC, an expired token, an unknown key id, another purpose and odd shapes', () => {
		const [value, exp, kid, mac] = token.split('.') as [string, string, string, string];
		const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
		for (const [why, bad, now] of [
			['wrong MAC', `${value}.${exp}.${kid}.${flipped}`, 1_000],
			['MAC of another value', `other.${exp}.${kid}.${mac}`, 1_000],
			['later expiry', `${value}.9999.${kid}.${mac}`, 1_000],
			['expired', token, 2_001],
			['unknown key id', `${value}.${exp}.k9.${mac}`, 1_000],
			['key id of another key', `${value}.${exp}.k1.${mac}`, 1_000],
			['another purpose', signToken(keys, 'grant-page', 'nonce123', 2_000), 1_000],
			['extra part', `${token}.x`, 1_000],
			['MAC spelled with a stray character', `${token}!`, 1_000],
			['no expiry', `${value}..${kid}.${mac}`, 1_000],
			['empty', '', 1_000],
		] as const)
			expect(verifyToken(keys, 'csrf', bad, now), why).toBeUndefined();
	});
});

describe('the audit chain', () => {
	const at = new Date('2026-11-23T10:00:00.000Z');
	const events = [
		'request.created',
		'nda.accepted',
		'email.verified',
		'grant.created',
		'download.served',
	].map((type, i) => ({
		type,
		actor: 'requester:ada@fabrikam.example',
		subject: `req_${i}`,
		data: { n: i, nested: { b: 'x', a: [1, 'y'] } },
	}));
	const chain: AuditEntry[] = [];
	for (const event of events) chain.push(chainEntry(chain.at(-1), event, at));

	it('links each entry to the one before, starting from the genesis hash', () => {
		expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
		expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
		expect(chain.slice(1).every((e, i) => e.prevHash === chain[i]!.hash)).toBe(true);
		expect(verifyChain(chain)).toEqual({
			ok: true,
			count: 5,
			head: { seq: 5, hash: chain[4]!.hash },
		});
	});

	it('hashes key order away, so data read back from jsonb in another order still verifies', () => {
		const reordered = chain.map((e) => ({
			...e,
			data: { nested: { a: [1, 'y'], b: 'x' }, n: e.data['n'] },
		}));
		expect(verifyChain(reordered).ok).toBe(true);
	});

	it('names the first entry whose content was changed', () => {
		const edited = chain.map((e) =>
			e.seq === 3 ? { ...e, actor: 'requester:mallory@evil.example' } : e,
		);
		const result = verifyChain(edited);
		expect(result).toMatchObject({ ok: false, count: 2, seq: 3 });
		expect(!result.ok && result.reason).toMatch(
			/^its content does not match its hash \(stored [0-9a-f]{12}…, recomputed [0-9a-f]{12}…\): the entry was changed after it was written$/,
		);
	});

	it('names a removed entry and a rehashed entry whose successor no longer links to it', () => {
		expect(verifyChain([chain[0]!, chain[1]!, chain[3]!, chain[4]!])).toEqual({
			ok: false,
			count: 2,
			seq: 4,
			reason: 'expected entry #3 next, found #4: entries are missing or were inserted',
		});
		const forged = chainEntry(chain[1], { ...events[2]!, actor: 'cli:mallory' }, at);
		expect(verifyChain([chain[0]!, chain[1]!, forged, chain[3]!, chain[4]!])).toEqual({
			ok: false,
			count: 3,
			seq: 4,
			reason: `prev_hash is ${chain[2]!.hash.slice(0, 12)}…, but entry #3 hashes to ${forged.hash.slice(0, 12)}…`,
		});
	});

	it('detects a cut-off tail only against an exported head', () => {
		const cut = chain.slice(0, 3);
		const check = verifyChain(cut);
		expect(check.ok).toBe(true);
		if (!check.ok) return;
		expect(checkAnchor(check, cut[4], { seq: 5, hash: chain[4]!.hash })).toBe(
			'the exported head is entry #5, but the log ends at #3: entries after #3 were removed',
		);
		expect(checkAnchor(check, cut[1], { seq: 2, hash: 'f'.repeat(64) })).toBe(
			`entry #2 hashes to ${chain[1]!.hash.slice(0, 12)}…, but the exported head says ffffffffffff…: the log was rewritten since the export`,
		);
		expect(checkAnchor(check, cut[1], { seq: 2, hash: chain[1]!.hash })).toBeUndefined();
	});

	it('stores text that jsonb would refuse (NUL, lone surrogates) in a form that round-trips', () => {
		const entry = chainEntry(
			undefined,
			{ type: 't', actor: 'a', subject: 's', data: { ua: 'x\0y\uD800', n: 1.5, gone: undefined } },
			at,
		);
		expect(entry.data).toEqual({ ua: 'x\uFFFDy\uFFFD', n: '1.5' });
		expect(verifyChain([JSON.parse(JSON.stringify(entry)) as AuditEntry]).ok).toBe(true);
	});
});

describe('approval rules', () => {
	const rules = AccessRulesSchema.parse({
		freeMail: ['gmail.com'],
		rules: [
			{ name: 'Competitors', domains: ['rival.example'], decision: 'deny' },
			{ name: 'Customers', domains: ['fabrikam.example'], decision: 'approve', days: 90 },
			{
				name: 'Prospects',
				domains: ['*.tailspin.example'],
				decision: 'approve',
				documents: ['whitepaper'],
			},
			{ name: 'Partners', domains: ['partner.example'], decision: 'review' },
		],
		documents: { 'soc2-report': { maxDays: 30 } },
	});

	it('approves every document for an approve rule, capping days by a document’s maxDays', () => {
		expect(decide(rules, 'ada@fabrikam.example', ['whitepaper'])).toEqual({
			outcome: 'approve',
			because: 'rule "Customers"',
			grant: ['whitepaper'],
			review: [],
			days: 90,
		});
		expect(decide(rules, 'ada@eu.fabrikam.example', ['whitepaper', 'soc2-report']).days).toBe(30);
	});

	it('grants in-scope documents at once and sends the rest to review', () => {
		expect(decide(rules, 'bo@eu.tailspin.example', ['whitepaper', 'soc2-report'])).toEqual({
			outcome: 'partial',
			because: 'rule "Prospects"',
			grant: ['whitepaper'],
			review: ['soc2-report'],
			days: 30,
		});
		expect(decide(rules, 'bo@tailspin.example', ['whitepaper']).outcome).toBe('review');
	});

	it('denies competitors, reviews free mail and unmatched domains', () => {
		expect(decide(rules, 'spy@rival.example', ['whitepaper'])).toMatchObject({
			outcome: 'deny',
			because: 'rule "Competitors"',
			grant: [],
		});
		expect(decide(rules, 'ada@gmail.com', ['whitepaper'])).toMatchObject({
			outcome: 'review',
			because: 'free-mail domain',
			review: ['whitepaper'],
		});
		expect(decide(rules, 'ada@partner.example', ['whitepaper'])).toMatchObject({
			outcome: 'review',
			because: 'rule "Partners"',
		});
		expect(decide(rules, 'ada@unknown.example', ['whitepaper'])).toMatchObject({
			outcome: 'review',
			because: 'no rule matched',
		});
		expect(
			decide({ ...rules, otherwise: 'deny' }, 'ada@unknown.example', ['whitepaper']),
		).toMatchObject({ outcome: 'deny', because: 'no rule matched (otherwise: deny)' });
	});

	it('does not let a look-alike domain match', () => {
		expect(decide(rules, 'ada@notfabrikam.example', ['whitepaper']).outcome).toBe('review');
		expect(decide(rules, 'ada@fabrikam.example.evil.example', ['whitepaper']).outcome).toBe(
			'review',
		);
	});

	it('waives the NDA only where the rule that decides for an address says nda: waived', () => {
		const waiving = AccessRulesSchema.parse({
			freeMail: ['gmail.com'],
			rules: [
				{ name: 'Competitors', domains: ['rival.gov'], decision: 'deny' },
				{ name: 'Contractors', domains: ['contractor.agency.gov'], decision: 'review' },
				{
					name: 'Agencies',
					domains: ['*.gov'],
					decision: 'approve',
					documents: ['whitepaper'],
					nda: 'waived',
				},
			],
		});
		expect(ndaWaiver(waiving, 'ana@agency.gov')?.name).toBe('Agencies');
		expect(ndaWaiver(waiving, 'ana@eu.agency.gov')?.name).toBe('Agencies');
		expect(ndaWaiver(waiving, 'ana@contractor.agency.gov')).toBeUndefined();
		expect(ndaWaiver(waiving, 'spy@rival.gov')).toBeUndefined();
		expect(ndaWaiver(waiving, 'ana@agency.gov.evil.example')).toBeUndefined();
		expect(ndaWaiver(waiving, 'ana@gmail.com')).toBeUndefined();
		expect(ndaWaiver(rules, 'ada@fabrikam.example')).toBeUndefined();
		expect(decide(waiving, 'ana@agency.gov', ['whitepaper', 'soc2-report'])).toMatchObject({
			outcome: 'partial',
			because: 'rule "Agencies"',
		});
	});

	it('takes "*.gov" for a whole top-level domain, and refuses a bare "gov"', () => {
		const domains = (list: string[]) =>
			AccessRulesSchema.safeParse({ rules: [{ name: 'X', domains: list, decision: 'review' }] });
		expect(domains(['*.gov', '*.gov.uk', 'agency.gov']).success).toBe(true);
		expect(domains(['gov']).error?.issues[0]?.message).toBe(
			'expected a domain like "fabrikam.com" or "*.fabrikam.com", received "gov"',
		);
	});

	it('counts requests per mailbox: "+tag" and Gmail dots do not make a new one', () => {
		expect(mailboxKey('Ada+1@Fabrikam.example')).toBe('ada@fabrikam.example');
		expect(mailboxKey('ada+x+y@fabrikam.example')).toBe('ada@fabrikam.example');
		expect(mailboxKey('a.d.a+z@googlemail.com')).toBe('ada@gmail.com');
		expect(mailboxKey('a.da@gmail.com')).toBe('ada@gmail.com');
		expect(mailboxKey('a.da@fabrikam.example')).toBe('a.da@fabrikam.example');
		expect(mailboxKey('+ada@fabrikam.example')).toBe('+ada@fabrikam.example');
	});

	it('reports unknown documents and free-mail domains in approve rules', () => {
		const bad = AccessRulesSchema.parse({
			freeMail: ['gmail.com'],
			rules: [
				{
					name: 'X',
					domains: ['gmail.com'],
					decision: 'approve',
					documents: ['whitepaper', 'nope'],
				},
			],
			documents: { gone: { maxDays: 5 } },
		});
		expect(checkRules(bad, 'content/access-rules.yaml', ['whitepaper'])).toEqual([
			{
				severity: 'error',
				file: 'content/access-rules.yaml',
				field: 'rules[0].documents[1]',
				message: 'unknown document "nope"',
				hint: 'Use one of: whitepaper.',
			},
			{
				severity: 'error',
				file: 'content/access-rules.yaml',
				field: 'documents.gone',
				message: 'unknown document "gone"',
				hint: 'Use one of: whitepaper.',
			},
			{
				severity: 'error',
				file: 'content/access-rules.yaml',
				field: 'rules[0].domains[0]',
				message: '"gmail.com" is a free-mail domain, and free-mail requests always go to review',
				hint: 'Remove it from this rule, or from freeMail if it is really a company domain.',
			},
		]);
	});
});

describe('sliding rate limits', () => {
	const W = 600_000;
	/** The counts `wait` ms after `counts`, with no hit in between. */
	const after = ({ previous, current, elapsed }: WindowCounts, wait: number): WindowCounts => {
		const at = elapsed + wait;
		if (at < W) return { previous, current, elapsed: at };
		if (at < 2 * W) return { previous: current, current: 0, elapsed: at - W };
		return { previous: 0, current: 0, elapsed: at % W };
	};

	it('refuses a burst that straddles a window’s edge, which fixed windows let through twice over', () => {
		// Three sign-ins let through in the last second of one window: a fourth one second into the next is refused.
		expect(admits({ previous: 3, current: 0, elapsed: 1000 }, W, 3)).toBe(false);
		// Half a window later, half of the previous window has slid out.
		expect(slidingCount({ previous: 3, current: 1, elapsed: W / 2 }, W)).toBe(2.5);
		expect(admits({ previous: 3, current: 0, elapsed: W / 2 }, W, 3)).toBe(true);
	});

	it('says to wait exactly until one more hit is let through, for any counts and any moment', () => {
		// A fixed pseudo-random sequence (xorshift), so a failure names the same case every run.
		let seed = 0x1b873593;
		const next = (n: number) => {
			seed ^= seed << 13;
			seed ^= seed >>> 17;
			seed ^= seed << 5;
			return Math.floor(((seed >>> 0) / 2 ** 32) * n);
		};
		let refused = 0;
		for (let i = 0; i < 5000; i++) {
			const max = 1 + next(20);
			// Only hits let through are counted, so neither window holds more than `max`.
			const counts = { previous: next(max + 1), current: next(max + 1), elapsed: next(W) };
			const wait = msUntilAllowed(counts, W, max);
			expect([counts, max, wait === 0]).toEqual([counts, max, admits(counts, W, max)]);
			if (wait === 0) continue;
			refused++;
			const admitted = (ms: number) => admits(after(counts, ms), W, max + 1e-9);
			expect([counts, max, admitted(wait)]).toEqual([counts, max, true]);
			if (wait >= 1) expect([counts, max, admitted(wait - 1)]).toEqual([counts, max, false]);
			expect(wait).toBeLessThanOrEqual(2 * W);
		}
		expect(refused).toBeGreaterThan(1000);
	});

	it('never gives NaN, even for a key with no hits let through', () => {
		expect(msUntilAllowed({ previous: 1, current: 0, elapsed: 0 }, W, 1)).toBe(W);
	});
});

describe('access request validation', () => {
	const schema = accessRequestSchema(['whitepaper', 'soc2-report']);
	const valid = {
		name: 'Ada Quinn',
		email: 'Ada@Fabrikam.example',
		company: 'Fabrikam',
		role: 'Procurement',
		documents: 'whitepaper',
		typedName: 'ada  quinn',
		accept: 'on',
		ndaVersion: '3.1',
		ndaSha256: 'a'.repeat(64),
	};
	const errors = (input: Record<string, unknown>) => {
		const result = schema.safeParse(input);
		return result.success
			? []
			: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
	};

	it('accepts form data and JSON, lower-casing the email', () => {
		expect(schema.parse(valid)).toMatchObject({
			email: 'ada@fabrikam.example',
			documents: ['whitepaper'],
			accept: true,
		});
		expect(
			schema.parse({
				...valid,
				documents: ['whitepaper', 'soc2-report', 'whitepaper'],
				accept: true,
			}).documents,
		).toEqual(['whitepaper', 'soc2-report']);
	});

	it('says what is wrong with each field', () => {
		expect(
			errors({
				...valid,
				email: 'not-an-email',
				documents: ['x'],
				accept: 'no',
				typedName: 'Someone Else',
				ndaSha256: 'abc',
			}),
		).toEqual([
			'email: is not an email address like ada@fabrikam.com',
			'documents.0: includes an unknown document; choose from whitepaper, soc2-report',
			'ndaSha256: expected the 64-character SHA-256 from the request page',
			'typedName: type your full name exactly as in Name to sign',
			'accept: tick "I accept on behalf of my company" to accept the NDA',
		]);
		expect(errors({ ...valid, typedName: 'Someone Else' })).toEqual([
			'typedName: type your full name exactly as in Name to sign',
		]);
		expect(
			errors({ ...valid, name: { $gt: '' }, company: ['a'], role: 5, documents: [], extra: 1 }),
		).toEqual([
			'name: expected text, received an object',
			'company: expected text, received a list',
			'role: expected text, received number',
			'documents: choose at least one document',
			': Unrecognized key: "extra"',
		]);
		expect(errors({ ...valid, name: 'x'.repeat(121), typedName: 'x'.repeat(121) })).toEqual([
			'name: is too long: at most 120 characters',
			'typedName: is too long: at most 120 characters',
		]);
	});

	it("says what a stranger's field should be without quoting what was sent", () => {
		const schema = z.strictObject({
			csrf: z.string(),
			kind: z.enum(['a', 'b']),
			code: z.string().min(3),
			n: z.number().max(2),
			site: z.url(),
		});
		const sent = {
			csrf: 1.5,
			kind: 'Call +1 555 0100 now',
			code: 'xy',
			n: 555,
			site: 'Call now',
			'Security notice': 'sign in at https://evil.example',
		};
		const said = (strangers: boolean) => {
			const parsed = parseFriendly(schema, sent, 'is not a field of this form; remove it', {
				strangers,
			});
			return parsed.ok ? [] : parsed.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
		};
		expect(said(true)).toEqual([
			'csrf: expected a string, received number',
			'kind: expected one of "a" | "b"',
			'code: expected at least 3 characters',
			'n: expected a number of at most 2',
			'site: expected url format',
			'Security notice: is not a field of this form; remove it',
		]);
		// The authors' own content and commands are quoted back to them.
		expect(said(false)).toEqual([
			'csrf: expected a string, received number 1.5',
			'kind: expected one of "a" | "b", received "Call +1 555 0100 now"',
			'code: expected at least 3 characters, received "xy"',
			'n: expected a number of at most 2, received number 555',
			'site: expected url format, received "Call now"',
			'Security notice: is not a field of this form; remove it',
		]);
	});

	it('lets an address the NDA is waived for leave the signature blank, and only that address', () => {
		const waiving = accessRequestSchema(['whitepaper'], (email) => email.endsWith('.gov'));
		const unsigned = { ...valid, documents: 'whitepaper', typedName: '', accept: undefined };
		expect(waiving.safeParse({ ...unsigned, email: 'ana@agency.gov' }).success).toBe(true);
		const signedFor = (input: Record<string, unknown>) => {
			const result = waiving.safeParse(input);
			return result.success
				? []
				: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		};
		expect(signedFor({ ...unsigned, email: 'ada@fabrikam.example' })).toEqual([
			'typedName: is required',
			'accept: tick "I accept on behalf of my company" to accept the NDA',
		]);
		// Starting to sign means signing in full, even where the NDA is waived.
		expect(signedFor({ ...unsigned, email: 'ana@agency.gov', typedName: 'Someone Else' })).toEqual([
			'typedName: type your full name exactly as in Name to sign',
			'accept: tick "I accept on behalf of my company" to accept the NDA',
		]);
		expect(signedFor({ ...unsigned, email: 'ana@agency.gov', accept: 'on' })).toEqual([
			'typedName: is required',
		]);
	});

	it('refuses invisible and control characters and broken Unicode', () => {
		for (const trick of [
			'Ada\u202EnniuQ',
			'Ada\u200BQuinn',
			'Ada\u0000',
			'Ada\r\nBcc: x@y.z',
			'Ada\uD800',
		]) {
			expect(
				errors({ ...valid, name: trick, typedName: trick }).length,
				JSON.stringify(trick),
			).toBeGreaterThan(0);
		}
		expect(errors({ ...valid, company: 'Fabrik\u202Eam' })).toEqual([
			'company: contains invisible or control characters; retype it without them',
		]);
		expect(errors({ ...valid, reason: 'Two lines\nare fine' })).toEqual([]);
		// A number where JSON wants text gets no advice about YAML quotes: that is the content check's.
		expect(parseFriendly(z.object({ csrf: z.string() }), { csrf: 1.5 }, 'unknown')).toEqual({
			ok: false,
			issues: [
				{
					path: ['csrf'],
					message: 'expected a string, received number 1.5',
					kind: 'number-for-text',
				},
			],
		});
		// A joiner where a script needs one (Persian "Alireza", Malayalam chillu) is part of the name; one
		// between letters of scripts that do not join, of two scripts, or at either end, only hides.
		for (const name of ['علی\u200Cرضا', 'ക\u200Dൻ'])
			expect(errors({ ...valid, name, typedName: name }), JSON.stringify(name)).toEqual([]);
		for (const name of [
			'A\u200Cda',
			'Ada\u200D',
			'\u200Cعلی',
			'علی\u200C Ada',
			'Ada\u200Cعلی',
			'田\u200C中',
			'דוד\u200Cכהן',
			'ع\u200Dक',
			'q\u0301\u200Dع',
		])
			expect(errors({ ...valid, name, typedName: name }), JSON.stringify(name)).toEqual([
				'name: contains invisible or control characters; retype it without them',
				'typedName: contains invisible or control characters; retype it without them',
			]);
		expect(errors({ ...valid, name: 'Zoë Ø’Brien 李雷', typedName: 'Zoë Ø’Brien 李雷' })).toEqual(
			[],
		);
	});
});

describe('the gate CLI and settings', () => {
	const read = (path: string) => {
		if (path === 'export.jsonl')
			return Buffer.from('{"seq":1}\n{"head":{"seq":7,"hash":"' + 'c'.repeat(64) + '"}}\n');
		throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
	};

	it('names the setting to change when the gate cannot listen', () => {
		const admin = {
			host: 'gate.invalid',
			port: 80,
			hostVariable: 'ADMIN_HOST',
			portVariable: 'ADMIN_PORT',
		};
		const failed = (code: string) => listenFailure(admin, Object.assign(new Error(code), { code }));
		expect(failed('ENOTFOUND')).toBe(
			'Could not listen on gate.invalid:80: ENOTFOUND. ADMIN_HOST names no address this machine can resolve; set it to an IP address or host name of this machine, or unset it.',
		);
		expect(failed('EACCES')).toBe(
			'Could not listen on gate.invalid:80: EACCES. Ports below 1024 need extra rights; set ADMIN_PORT to 1024 or above and forward to it.',
		);
		expect(failed('EADDRINUSE')).toBe(
			'Could not listen on gate.invalid:80: EADDRINUSE. Set ADMIN_PORT to a free port.',
		);
	});

	it('parses each command', () => {
		expect(parseCommand(['approve', 'req_0123456789abcdef', '--days', '14'], read)).toEqual({
			ok: true,
			command: { name: 'approve', id: 'req_0123456789abcdef', days: 14 },
		});
		expect(
			parseCommand(['deny', 'req_0123456789abcdef', '--reason', 'Not a customer'], read),
		).toEqual({
			ok: true,
			command: { name: 'deny', id: 'req_0123456789abcdef', reason: 'Not a customer' },
		});
		expect(parseCommand(['audit', 'verify', '--against', 'export.jsonl'], read)).toEqual({
			ok: true,
			command: {
				name: 'audit-verify',
				anchor: { seq: 7, hash: 'c'.repeat(64), from: 'export.jsonl' },
			},
		});
		expect(parseCommand(['report', '--json'], read)).toEqual({
			ok: true,
			command: { name: 'report', json: true },
		});
	});

	it('explains a wrong call', () => {
		expect(parseCommand(['approve', 'grant_0123456789abcdef'], read)).toEqual({
			ok: false,
			error:
				'approve: expected one request id like req_1a2b3c4d5e6f7a8b, received "grant_0123456789abcdef". List them with: npm run gate -- requests',
		});
		expect(parseCommand(['approve', 'req_0123456789abcdef', '--days', 'soon'], read)).toEqual({
			ok: false,
			error: 'approve: --days expects a whole number of days from 1 to 730, received "soon".',
		});
		expect(parseCommand(['deny', 'req_0123456789abcdef'], read)).toEqual({
			ok: false,
			error:
				'deny: --reason "…" is required; the requester is told it. Example: npm run gate -- deny req_… --reason "We only share reports with customers under contract."',
		});
		expect(parseCommand(['trace', 'missing.pdf'], read)).toEqual({
			ok: false,
			error: 'trace: cannot read missing.pdf: ENOENT.',
		});
		// Read no further than one byte past the limit: /dev/zero would never end, and a 3 GB file is
		// more than Node reads into one buffer.
		const dir = mkdtempSync(join(tmpdir(), 'trace-'));
		try {
			const huge = join(dir, 'huge.pdf');
			writeFileSync(huge, '%PDF-1.7\n');
			truncateSync(huge, 3 * 1024 ** 3);
			for (const file of ['/dev/zero', huge])
				expect(parseCommand(['trace', file], readArgumentFile), file).toEqual({
					ok: false,
					error:
						'trace: the file is larger than 48 MB, more than trace reads; a copy the gate serves is far smaller.',
				});
			expect(parseCommand(['trace', dir], readArgumentFile)).toEqual({
				ok: false,
				error: `trace: cannot read ${dir}: EISDIR.`,
			});
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		expect(parseCommand(['revoke'], read)).toEqual({
			ok: false,
			error:
				'revoke: expected one grant id like grant_1a2b3c4d5e6f7a8b, received nothing. List them with: npm run gate -- grants',
		});
		expect(parseCommand(['resend', 'req_0123456789abcdef'], read)).toEqual({
			ok: false,
			error:
				'resend: expected one grant id like grant_1a2b3c4d5e6f7a8b, received "req_0123456789abcdef". List them with: npm run gate -- grants',
		});
		expect(parseCommand(['resend', 'grant_0123456789abcdef', '--days', '30'], read)).toEqual({
			ok: false,
			error: 'resend: --days is not an option of resend; it takes none.',
		});
		expect(parseCommand(['frobnicate'], read)).toMatchObject({
			ok: false,
			error: expect.stringMatching(
				/^Unknown command "frobnicate"\.\n\nUsage: npm run gate -- <command>/,
			),
		});
	});

	it('checks what arrives on the admin socket with the CLI’s own bounds, every problem named', () => {
		const id = 'req_0123456789abcdef';
		expect(checkCommand({ name: 'approve', id, days: 100000 })).toEqual({
			ok: false,
			error:
				'approve: --days expects a whole number of days from 1 to 730, received number 100000.',
		});
		expect(checkCommand({ name: 'approve', id: 'req_x; DROP', days: 0.5 })).toEqual({
			ok: false,
			error: [
				'approve: expected one request id like req_1a2b3c4d5e6f7a8b, received "req_x; DROP". List them with: npm run gate -- requests',
				'approve: --days expects a whole number of days from 1 to 730, received number 0.5.',
			].join('\n'),
		});
		expect(checkCommand({ name: 'grants', actor: 'cli:someone-else' })).toEqual({
			ok: false,
			error: 'grants: "actor" is not an option of grants.',
		});
		expect(checkCommand({ name: 'deny', id, reason: 'x'.repeat(1001) })).toEqual({
			ok: false,
			error: 'deny: --reason is 1001 characters long; keep it to 1000.',
		});
		expect(checkCommand({ name: 'deny', id, reason: '   ' })).toMatchObject({
			ok: false,
			error: expect.stringMatching(/^deny: --reason "…" is required; the requester is told it\./),
		});
		expect(checkCommand({ name: 'trace', file: 'a.pdf', pdfBase64: 'not base64!' })).toEqual({
			ok: false,
			error: 'trace: the file was not sent as base64 text.',
		});
		expect(checkCommand({ name: 'report', json: 'yes' })).toEqual({
			ok: false,
			error: 'report: json expects true or false.',
		});
		for (const input of [{ name: 'frobnicate' }, { name: 'constructor' }, null, 'grants', {}])
			expect(checkCommand(input)).toMatchObject({
				ok: false,
				error: expect.stringMatching(
					/^unknown command .+; expected one of help, requests, approve, deny, revoke, resend, grants, report, trace, audit-verify, staff-invite, staff-cancel-invite, staff-end-sessions, staff-sessions, audit-export, subscribers-list, subscribers-export, subscribers-remove, keys-list, keys-rotate, keys-retire, notify\.$/,
				),
			});
		expect(checkCommand({ name: 'deny', id, reason: '  Not a customer ' })).toEqual({
			ok: true,
			command: { name: 'deny', id, reason: 'Not a customer' },
		});
	});

	it('reads the peer of a socket and its process’s users from what Linux reports', () => {
		// ss -xpH: our end (inode 701, on a path with a space) is connected to 702, which node pid 4242 holds.
		const ss = [
			'u_str ESTAB 0 0 * 702 * 701 users:(("node",pid=4242,fd=20))',
			'u_str ESTAB 0 0 /srv/trust center/data/gate.sock 701 * 702 users:(("node",pid=99,fd=31))',
			'u_str ESTAB 0 0 * 7010 * 7011 users:(("other",pid=5,fd=3))',
		].join('\n');
		expect(peerOf(ss, 701)).toEqual({ peerInode: 702, pids: [4242] });
		expect(peerOf(ss, 70)).toBeUndefined();
		// A peer whose process the gate may not inspect is listed without users.
		expect(
			peerOf('u_str ESTAB 0 0 /x.sock 8 * 9 users:(("n",pid=1,fd=2))\nu_str ESTAB 0 0 * 9 * 8', 8),
		).toEqual({
			peerInode: 9,
			pids: [],
		});
		expect(effectiveUid('Name:\tnode\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n')).toBe(
			0,
		);
		expect(loginUid('4294967295')).toBeUndefined();
		expect(loginUid('1000\n')).toBe(1000);
		expect(cliActor('trust', 'alice')).toBe('cli:trust (login alice)');
		expect(cliActor('alice', 'alice')).toBe('cli:alice');
		expect(cliActor('alice')).toBe('cli:alice');
	});

	it('refuses a data folder other users share, and makes no key in it', () => {
		for (const [dir, why] of [
			['/tmp', 'its sticky bit is set, as on /tmp'],
			['/', 'the root of the file system'],
		])
			expect(readSettings({ GATE_DATA_DIR: dir }, '/srv/trust')).toEqual({
				ok: false,
				errors: [
					`GATE_DATA_DIR: ${dir} is a folder other users share (${why}); the gate keeps requester data in its data folder and closes it to everyone else. Point GATE_DATA_DIR at a folder of its own, e.g. /var/lib/trust-gate.`,
				],
			});
		expect(existsSync('/tmp/signing-key')).toBe(false);
	});

	it('refuses a data folder that is a file, before anything connects to it', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gate-data-file-'));
		try {
			const file = join(dir, 'data');
			writeFileSync(file, '');
			expect(readSettings({ GATE_DATA_DIR: file }, '/srv/trust')).toEqual({
				ok: false,
				errors: [
					`GATE_DATA_DIR: ${file} is a file, and the gate keeps its database and keys in a folder. Point GATE_DATA_DIR at a folder (the gate makes it when it is missing), e.g. /var/lib/trust-gate.`,
				],
			});
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('parses staff invite and cancel-invite, refusing a missing address and an unknown role', () => {
		const read = () => Buffer.alloc(0);
		expect(
			parseCommand(['staff', 'invite', 'ada@example.com', '--role', 'approver'], read),
		).toEqual({
			ok: true,
			command: { name: 'staff-invite', email: 'ada@example.com', role: 'approver' },
		});
		expect(parseCommand(['staff', 'invite'], read)).toEqual({
			ok: false,
			error:
				'staff: expected "invite <email>", "cancel-invite <email>", "sessions" or "end-sessions <email>", received "invite". Example: npm run gate -- staff invite ada@example.com --role approver',
		});
		expect(parseCommand(['staff', 'invite', 'ada@example.com', '--role', 'owner'], read)).toEqual({
			ok: false,
			error: 'staff invite: --role expects one of viewer, approver, admin, received "owner".',
		});
		expect(parseCommand(['staff', 'invite', 'not-an-email'], read)).toEqual({
			ok: false,
			error:
				'staff invite: expected an e-mail address like ines@example.com, received "not-an-email". Example: npm run gate -- staff invite ines@example.com --role approver',
		});
		expect(parseCommand(['staff', 'cancel-invite', 'ada@example.com'], read)).toEqual({
			ok: true,
			command: { name: 'staff-cancel-invite', email: 'ada@example.com' },
		});
		expect(parseCommand(['staff', 'end-sessions', 'ada@example.com'], read)).toEqual({
			ok: true,
			command: { name: 'staff-end-sessions', email: 'ada@example.com' },
		});
		expect(parseCommand(['staff', 'end-sessions'], read)).toMatchObject({ ok: false });
		expect(parseCommand(['staff', 'sessions'], read)).toEqual({
			ok: true,
			command: { name: 'staff-sessions' },
		});
		expect(parseCommand(['staff', 'sessions', 'ada@example.com'], read)).toEqual({
			ok: false,
			error:
				'staff: expected "invite <email>", "cancel-invite <email>", "sessions" or "end-sessions <email>", received "sessions ada@example.com". Example: npm run gate -- staff invite ada@example.com --role approver',
		});
		expect(parseCommand(['staff', 'cancel-invite', 'ada'], read)).toEqual({
			ok: false,
			error:
				'staff cancel-invite: expected an e-mail address like ines@example.com, received "ada". Example: npm run gate -- staff cancel-invite ines@example.com',
		});
		expect(
			parseCommand(['staff', 'cancel-invite', 'ada@example.com', '--role', 'admin'], read),
		).toEqual({
			ok: false,
			error: 'staff cancel-invite: --role is not an option of staff cancel-invite; it takes none.',
		});
	});

	it('refuses a flag given twice, and a --days not written in digits', () => {
		const id = 'req_0123456789abcdef';
		expect(parseCommand(['approve', id, '--days', '5', '--days', '500'], read)).toEqual({
			ok: false,
			error: 'approve: --days is given twice; give each once.',
		});
		expect(parseCommand(['deny', id, '--reason', 'first', '--reason', 'second'], read)).toEqual({
			ok: false,
			error: 'deny: --reason is given twice; give each once.',
		});
		for (const days of ['0x10', '1e1', '-5', '2.5'])
			expect(parseCommand(['approve', id, '--days', days], read), days).toEqual({
				ok: false,
				error: `approve: --days expects a whole number of days from 1 to 730, received "${days}".`,
			});
		expect(parseCommand(['approve', id, '--days', '14'], read)).toEqual({
			ok: true,
			command: { name: 'approve', id, days: 14 },
		});
	});

	it('refuses a flag the command does not take, naming the ones it does', () => {
		const id = 'req_0123456789abcdef';
		expect(parseCommand(['approve', id, '--day', '7'], read)).toEqual({
			ok: false,
			error: 'approve: --day is not an option of approve; it takes --days.',
		});
		expect(
			parseCommand(['revoke', 'grant_0123456789abcdef', '--raeson', 'Contract ended'], read),
		).toEqual({
			ok: false,
			error: 'revoke: --raeson is not an option of revoke; it takes --reason.',
		});
		expect(parseCommand(['requests', '--json', '--all'], read)).toEqual({
			ok: false,
			error: 'requests: --json, --all are not options of requests; it takes none.',
		});
		expect(parseCommand(['audit', 'export', '--output', 'a.jsonl'], read)).toEqual({
			ok: false,
			error: 'audit export: --output is not an option of audit export; it takes --out.',
		});
		expect(parseCommand(['notify', '--dryrun'], read)).toEqual({
			ok: false,
			error: 'notify: --dryrun is not an option of notify; it takes --dry-run.',
		});
		expect(parseCommand(['constructor', '--x'], read)).toMatchObject({
			ok: false,
			error: expect.stringMatching(/^Unknown command "constructor"\./),
		});
		expect(parseCommand(['keys', 'retire', 'k1', '--force'], read)).toEqual({
			ok: false,
			error: 'keys retire: --force is not an option of keys retire; it takes --now.',
		});
	});

	it('reports every bad console setting at once', () => {
		expect(
			readSettings(
				{
					PORT: '8080',
					ADMIN_PORT: '8080',
					GATE_ADMIN_URL: 'https://trust-admin.example.com/admin',
					GATE_OIDC_ISSUER: 'http://login.example.com',
					GATE_OIDC_CLIENT_ID: 'trust-console',
					GATE_OIDC_SCOPES: 'email profile',
					GATE_SESSION_IDLE_MINUTES: '600',
					GATE_SESSION_MAX_HOURS: '8',
					GATE_KEY_ROTATION_DAYS: '0',
				},
				'/tmp/gate-settings-test',
			),
		).toEqual({
			ok: false,
			errors: [
				'ADMIN_PORT: expected a port other than PORT (8080), received "8080". Unset it to serve the console on the public port.',
				'GATE_ADMIN_URL: expected the console\'s origin like https://trust.example.com or https://trust-admin.internal:8443 (no path), received "https://trust-admin.example.com/admin".',
				'GATE_OIDC_CLIENT_SECRET: required with GATE_OIDC_ISSUER and GATE_OIDC_CLIENT_ID. Set all three to sign staff in with your identity provider, or none for passkeys only.',
				'GATE_OIDC_ISSUER: expected the issuer\'s https:// URL, like https://login.example.com or https://example.okta.com/oauth2/default, received "http://login.example.com".',
				'GATE_OIDC_SCOPES: expected space-separated scopes including openid, like "openid email profile groups", received "email profile".',
				'GATE_SESSION_IDLE_MINUTES: expected at most GATE_SESSION_MAX_HOURS × 60 (480), received "600".',
				'GATE_KEY_ROTATION_DAYS: expected a whole number from 1 to 3650, received "0". Unset it to use 365.',
			],
		});
	});

	it('never shows the password of DATABASE_URL or SMTP_URL that is no URL, and says to percent-encode it', () => {
		const read = readSettings(
			{
				DATABASE_URL: 'postgres://trust_gate:Xy9/Qw+Zz8@127.0.0.1:5499/trust_gate',
				SMTP_URL: 'smtps://gate:p#ss/w0rd@smtp.example.com:465',
			},
			'/tmp/gate-settings-test',
		);
		expect(read).toEqual({
			ok: false,
			errors: [
				"DATABASE_URL: is not a URL that can be read (its value is not shown, as it holds a password). Expected postgres://user:password@host:5432/db; percent-encode special characters in the user name and password (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F, % as %25, a space as %20), e.g. with: node -p 'encodeURIComponent(process.argv[1])' 'the password'",
				"SMTP_URL: is not a URL that can be read (its value is not shown, as it holds a password). Expected smtp://user:password@mail.example.com:587 (or smtps:// for TLS); percent-encode special characters in the user name and password (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F, % as %25, a space as %20), e.g. with: node -p 'encodeURIComponent(process.argv[1])' 'the password'",
			],
		});
		expect(JSON.stringify(read)).not.toMatch(/Xy9|Qw\+Zz8|p#ss|w0rd/);
		// A password starting with digits reads as a port: the URL parses, with the password in its path.
		const misread = readSettings(
			{
				DATABASE_URL: 'postgres://app:2024/Spring!@db.internal:5432/trust',
				SMTP_URL: 'smtp://u:123#x@smtp.example.com',
			},
			'/tmp/gate-settings-test',
		);
		expect(misread.ok ? [] : misread.errors.map((e) => e.split(' (')[0])).toEqual([
			'DATABASE_URL: is not a URL that can be read',
			'SMTP_URL: is not a URL that can be read',
		]);
		expect(JSON.stringify(misread)).not.toMatch(/2024|Spring|123#x/);
	});

	it('shows a URL that holds a password without it, nor its query', () => {
		expect(redactUrl('postgres://trust_gate:s3cr@tPassw0rd@127.0.0.1:5499/trust_gate')).toBe(
			'postgres://trust_gate:…@127.0.0.1:5499/trust_gate',
		);
		expect(redactUrl('postgres://db.internal/trust?password=s3cret')).toBe(
			'postgres://db.internal/trust',
		);
		expect(redactUrl('smtps://:only-a-password@smtp.example.com:465')).toBe(
			'smtps://:…@smtp.example.com:465',
		);
		expect(redactUrl('not a url s3cret')).toBe('(a URL that cannot be read)');
		expect(redactUrl('postgres://app:2024/Spring!@db.internal:5432/trust')).toBe(
			'(a URL that cannot be read)',
		);
	});

	it('refuses origins that are no URL, and a MAIL_FROM that is no address', () => {
		expect(
			readSettings(
				{
					GATE_PUBLIC_URL: 'https://trust acme.com',
					GATE_ADMIN_URL: 'https://trust.acme.com:99999',
					MAIL_FROM: 'not an address',
				},
				'/tmp/gate-settings-test',
			),
		).toEqual({
			ok: false,
			errors: [
				'GATE_PUBLIC_URL: expected the site\'s origin like https://trust.example.com (no path), received "https://trust acme.com", which is not a URL (a space? a port above 65535?).',
				'MAIL_FROM: expected an address like trust@example.com, optionally with a name: \'"Example Trust" <trust@example.com>\', received "not an address". Unset it to send from no-reply@ the host of the url in site.yaml.',
				'GATE_ADMIN_URL: expected the console\'s origin like https://trust.example.com or https://trust-admin.internal:8443 (no path), received "https://trust.acme.com:99999", which is not a URL (a space? a port above 65535?).',
			],
		});
		for (const from of [
			'"Example Trust" <trust@example.com>',
			'Example Trust <trust@example.com>',
			'trust@example.com',
		]) {
			const read = readSettings({ MAIL_FROM: from }, '/tmp/gate-settings-test');
			expect(read.ok && read.settings.mailFrom).toBe(from);
		}
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('0.0.0.0')).toBe(false);
	});

	it('reports every bad setting at once', () => {
		expect(
			readSettings(
				{
					PORT: 'eighty',
					DATABASE_URL: 'mysql://x',
					GATE_PUBLIC_URL: 'trust.example.com/path',
					SMTP_URL: 'mail.example.com',
					GATE_TRUST_PROXY: '-1',
				},
				'/tmp/gate-settings-test',
			),
		).toEqual({
			ok: false,
			errors: [
				'PORT: expected a whole number from 0 to 65535, received "eighty". Unset it to use 4321.',
				'DATABASE_URL: expected a URL like postgres://user:password@host:5432/db. Unset it to use the embedded database in data/.',
				'GATE_PUBLIC_URL: expected the site\'s origin like https://trust.example.com (no path), received "trust.example.com/path", which is not a URL (a space? a port above 65535?).',
				'SMTP_URL: expected a URL like smtp://user:password@mail.example.com:587 (or smtps:// for TLS). Unset it to write mail to data/outbox/.',
				'GATE_TRUST_PROXY: expected a whole number from 0 to 5, received "-1". Unset it to use 0.',
			],
		});
		// A wrong PORT alone is reported alone: the default GATE_PUBLIC_URL made from it is not named.
		expect(readSettings({ PORT: 'abc' }, '/tmp/gate-settings-test')).toEqual({
			ok: false,
			errors: [
				'PORT: expected a whole number from 0 to 65535, received "abc". Unset it to use 4321.',
			],
		});
	});
});

describe('form bodies', () => {
	it('reads repeated fields as lists, and documents always as one', () => {
		expect(formFields('name=Ada&documents=a&x=1&x=2&x=3&constructor=c')).toEqual({
			name: 'Ada',
			documents: ['a'],
			x: ['1', '2', '3'],
			constructor: 'c',
		});
	});

	it(`refuses more than ${MAX_FIELDS} fields, such as a 16 KiB run of one repeated key`, () => {
		const refused = (text: string) => {
			try {
				formFields(text);
			} catch (error) {
				return error instanceof GateError ? [error.status, error.code, error.message] : error;
			}
			return 'accepted';
		};
		expect(formFields(Array(MAX_FIELDS).fill('a').join('&'))['a']).toHaveLength(MAX_FIELDS);
		expect(refused('a&'.repeat(8192))).toEqual([
			400,
			'too-many-fields',
			'The request has more than 64 fields; at most 64 are accepted. Send each form field once (documents once per document).',
		]);
	});

	it('reads a form as URLSearchParams does: + as a space, %-escapes decoded, a stray % kept, empty pairs skipped', () => {
		const asUrlSearchParams = (text: string) => {
			const fields: Record<string, string | string[]> = {};
			for (const [key, value] of new URLSearchParams(text)) {
				const previous = fields[key];
				fields[key] =
					previous === undefined
						? value
						: Array.isArray(previous)
							? [...previous, value]
							: [previous, value];
			}
			return fields;
		};
		for (const text of [
			'name=J%C3%BCrgen+M%c3%BCller&reason=100%&role=%zz%4&typed=a=b=c',
			'?a=1&&b&=c&d=&%EF%BB%BFe=%EF%BB%BF&f=%F0%9F%98%80+%E2%80%AE&f=x',
			'name=Jürgen&company=%E3%83%95%E3%82%A1%E3%83%96%E3%83%AA%E3%82%AB%E3%83%A0&x=%2B%26%3D',
		])
			expect(formFields(text), text).toEqual(asUrlSearchParams(text));
	});

	it('refuses a form whose %-escapes decode to bytes that are not UTF-8, naming the field when its name is readable', () => {
		const refused = (text: string) => {
			try {
				formFields(text);
			} catch (error) {
				return error instanceof GateError
					? { status: error.status, code: error.code, message: error.message, fields: error.fields }
					: error;
			}
			return 'accepted';
		};
		const inValue = {
			status: 400,
			code: 'not-utf-8',
			message:
				'A form field is not valid UTF-8 text once its %-escapes are decoded. Send the form from its page on this site, or encode each field as UTF-8 before %-escaping it.',
		};
		const problem = 'is not valid UTF-8 text once its %-escapes are decoded; retype it';
		// Latin-1's ü, a lone lead byte, a UTF-16 surrogate written as UTF-8, an overlong "/".
		for (const [text, field] of [
			['email=a%40b.example&name=J%FCrgen', 'name'],
			['typedName=J%C3rgen', 'typedName'],
			['company=%ED%A0%80', 'company'],
			['J%C3%BCrgen=%C0%AF', 'Jürgen'],
		] as const)
			expect(refused(text), text).toEqual({ ...inValue, fields: [{ field, message: problem }] });
		expect(refused('J%FCrgen=x')).toEqual({
			status: 400,
			code: 'not-utf-8',
			message:
				'The request body is not valid UTF-8 text. Send the form from its page on this site, or encode the body as UTF-8.',
			fields: undefined,
		});
	});
});

describe('requester text in mails', () => {
	const { config } = loadAccessConfig(ROOT);
	const gate = { config: config!, publicUrl: 'https://trust.kestrel.example' };
	const phishing = {
		id: 'req_0123456789abcdef',
		name: 'Your account is locked - sign in at https://evil.example/unlock to unlock',
		role: 'IT at www.evil.example',
		company: 'Kestrel Ledger Support “official”',
		email: 'victim@fabrikam.example',
		reason: 'Line one\nApprove: npm run gate -- approve req_other\r\nmail ceo@evil.example',
	};

	it('quotes requester text on one line, with no link a mail client would make', () => {
		expect(quoteRequester(phishing.name)).toBe(
			'“Your account is locked - sign in at https[://]evil[.]example/unlock to unlock”',
		);
		expect(quoteRequester(phishing.reason)).toBe(
			'“Line one ⏎ Approve: npm run gate -- approve req_other ⏎ mail ceo@evil[.]example”',
		);
		expect(quoteRequester('evil\u3002example and evil\uFF0Eexample\u2028next, v2.1 done.')).toBe(
			'“evil[.]example and evil[.]example ⏎ next, v2[.]1 done.”',
		);
		expect(quoteRequester('He said "hi"')).toBe("“He said 'hi'”");
	});

	it('keeps what a requester typed out of the mails sent to their address', () => {
		for (const mail of [
			confirmationMail(gate, { documents: ['whitepaper'] }, 't'.repeat(43), 24),
			grantMail(
				gate,
				{ id: 'grant_0123456789abcdef', key: 'k'.repeat(43), expires: new Date('2027-01-01') },
				['whitepaper'],
			),
		])
			expect(mail.text).toMatch(/^Hello,\n\n/);
		expect(
			confirmationMail(gate, { documents: ['whitepaper'] }, 't'.repeat(43), 24).text,
		).toContain(`https://trust.kestrel.example/access/confirm/?token=${'t'.repeat(43)}`);
	});

	it('quotes it in the reviewers’ mail as the requester’s words, one line per field', () => {
		const mail = reviewMail(gate, phishing, ['whitepaper'], {
			partial: false,
			because: 'no rule matched',
			ndaWaivedBy: null,
		});
		expect(mail.subject).toBe('Access request to review: victim@fabrikam.example');
		expect(mail.text).toMatchInlineSnapshot(`
			"A request for Kestrel Ledger Security Whitepaper (NDA edition) waits for your review.

			Email (confirmed): victim@fabrikam.example
			Why it waits:      sent to review by no rule matched.
			NDA:               accepted and signed

			What the requester typed, quoted as their own words (nothing in it is checked):
			  Name:    “Your account is locked - sign in at https[://]evil[.]example/unlock to unlock”
			  Company: “Kestrel Ledger Support 'official'”
			  Role:    “IT at www[.]evil[.]example”
			  Reason:  “Line one ⏎ Approve: npm run gate -- approve req_other ⏎ mail ceo@evil[.]example”

			Approve: npm run gate -- approve req_0123456789abcdef
			Deny:    npm run gate -- deny req_0123456789abcdef --reason "…"
			"
		`);
		// The one host name left whole is the confirmed address's.
		expect([...mail.text.matchAll(/[\w-]+(?:\.[\w-]+)+/g)].map((m) => m[0])).toEqual([
			'fabrikam.example',
		]);
	});
});

describe('where sign-in returns to (next=)', () => {
	it("keeps plain console paths and sends anything else to the console's first page", () => {
		for (const path of [
			'/admin/',
			'/admin/requests/',
			'/admin/requests/req_0a1B-c_d',
			'/admin/audit',
		])
			expect(safeNext(path)).toBe(path);
		for (const path of [
			undefined,
			'',
			'/admin',
			'//evil.example/admin/',
			'/admin//evil.example',
			'/admin/../policies/',
			'/admin/%2e%2e/',
			'/admin/requests/?x=1',
			'/admin/requests\\evil',
			'https://evil.example/admin/',
			`/admin/${'a/'.repeat(100)}`,
		])
			expect(safeNext(path)).toBe('/admin/');
	});

	it('refuses a long near-miss at once: the pattern cannot backtrack (the old one took 2 s at 25 characters, doubling with each)', () => {
		// Run in a child process: a pattern that backtracks would hold this test's thread, so the timeout
		// below is what turns that into a failure instead of a hang. A linear pattern answers in microseconds.
		const hostile = `/admin/${'a'.repeat(64)}!`;
		const module = new URL('../../src/gate/middleware/staff-session.ts', import.meta.url).href;
		const run = spawnSync(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				`const { safeNext } = await import(${JSON.stringify(module)}); console.log(safeNext(${JSON.stringify(hostile)}));`,
			],
			{ encoding: 'utf8', timeout: 60_000 },
		);
		expect(run.signal, `safeNext did not return for ${hostile}: its pattern backtracks`).toBeNull();
		expect(run.stderr).toBe('');
		expect(run.stdout.trim()).toBe('/admin/');
	});
});

describe('the person an identity provider signed in', () => {
	const token = { iss: 'https://idp.example', sub: 'u1' };
	const person = (
		idToken: Record<string, unknown>,
		userinfo?: Record<string, unknown>,
		groups?: string,
	) => personFrom({ ...token, ...idToken }, userinfo, groups);

	it('takes the address and whether it is verified together, from one source, never one from each', () => {
		// The token names an address without saying it is verified; userinfo vouches for another one.
		expect(
			person(
				{ email: 'ada@kestrel.example' },
				{ email: 'someone.else@kestrel.example', email_verified: true },
			),
		).toMatchObject({ email: 'ada@kestrel.example', emailVerified: false });
		// Userinfo vouches for the same address (in another case): verified.
		expect(
			person(
				{ email: 'ada@kestrel.example' },
				{ email: 'Ada@Kestrel.example', email_verified: true },
			),
		).toMatchObject({ email: 'Ada@Kestrel.example', emailVerified: true });
		// The token says both: userinfo does not change them.
		expect(
			person(
				{ email: 'ada@kestrel.example', email_verified: false },
				{ email: 'ada@kestrel.example', email_verified: true },
			),
		).toMatchObject({ email: 'ada@kestrel.example', emailVerified: false });
		// Only userinfo has them.
		expect(person({}, { email: 'ada@kestrel.example', email_verified: 'true' })).toMatchObject({
			email: 'ada@kestrel.example',
			emailVerified: true,
		});
	});

	it("accepts Microsoft Entra ID's xms_edov only where there is no email_verified", () => {
		expect(person({ email: 'a@k.example', xms_edov: true })).toMatchObject({ emailVerified: true });
		expect(person({ email: 'a@k.example', xms_edov: false })).toMatchObject({
			emailVerified: false,
		});
		expect(person({ email: 'a@k.example', email_verified: false, xms_edov: true })).toMatchObject({
			emailVerified: false,
		});
		expect(person({ email: 'a@k.example' })).toMatchObject({ emailVerified: false });
	});

	it("takes a Google sign-in for a company address only from that domain's Google Workspace (hd)", () => {
		const google = (claims: Record<string, unknown>) =>
			personFrom(
				{ iss: 'https://accounts.google.com', sub: 'g1', email_verified: true, ...claims },
				undefined,
				undefined,
			).outsideWorkspace;
		// A consumer account made with a company address: no hd, or another Workspace's.
		expect(google({ email: 'ada@kestrel.example' })).toBe(true);
		expect(google({ email: 'ada@kestrel.example', hd: 'fabrikam.example' })).toBe(true);
		expect(google({ email: 'ada@kestrel.example', hd: 'Kestrel.example' })).toBe(false);
		// Google's own mailboxes have no hd, and Google holds them.
		expect(google({ email: 'ada@gmail.com' })).toBe(false);
		expect(
			personFrom(
				{ iss: 'accounts.google.com', sub: 'g1', email: 'a@kestrel.example', email_verified: true },
				undefined,
				undefined,
			).outsideWorkspace,
		).toBe(true);
		// Other issuers do not send hd.
		expect(person({ email: 'ada@kestrel.example', email_verified: true }).outsideWorkspace).toBe(
			false,
		);
	});

	it('reads groups from the token, else from userinfo, and only when the staff file maps groups', () => {
		expect(person({ groups: ['a'] }, { groups: ['b'] }, 'groups').groups).toEqual(['a']);
		expect(person({}, { groups: ['b', 7] }, 'groups').groups).toEqual(['b']);
		expect(person({}, { roles: 'approvers' }, 'roles').groups).toEqual(['approvers']);
		expect(person({ groups: ['a'] }, undefined, undefined).groups).toEqual([]);
	});
});

describe("a mail server's refusals", () => {
	const refused = (response: string, command: string, code = 'EENVELOPE') =>
		failure(
			Object.assign(new Error('refused'), {
				response,
				responseCode: Number(response.slice(0, 3)),
				command,
				code,
			}),
		).kind;

	it('counts a refusal as a bounce only when it is about the address', () => {
		const cases: Array<[string, string, string?]> = [
			// The address: unknown mailbox, bad domain, disabled or full mailbox.
			['550 5.1.1 <ada@fabrikam.example>: Recipient address rejected: User unknown', 'RCPT TO'],
			['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found', 'RCPT TO'],
			['552 5.2.2 Mailbox full', 'RCPT TO'],
			['550 5.2.1 The email account that you tried to reach is disabled.', 'DATA', 'EMESSAGE'],
			['550 No such user here', 'RCPT TO'],
			['553 mailbox name not allowed', 'RCPT TO'],
			// The gate: relaying, an unverified sender, a send-as refusal, content, size, a bare 554.
			['554 5.7.1 <ada@fabrikam.example>: Relay access denied', 'RCPT TO'],
			['554 Message rejected: Email address is not verified.', 'DATA', 'EMESSAGE'],
			[
				'550 5.7.60 SMTP; Client does not have permissions to send as this sender',
				'DATA',
				'EMESSAGE',
			],
			['554 5.2.252 SendAsDenied; not allowed to send as the sender', 'DATA', 'EMESSAGE'],
			['552 5.3.4 Message size exceeds fixed limit', 'DATA', 'EMESSAGE'],
			['554 5.6.0 Message content rejected', 'DATA', 'EMESSAGE'],
			['554 Transaction failed', 'RCPT TO'],
			['550 Spam detected', 'DATA', 'EMESSAGE'],
			['553 5.1.8 Sender address rejected: Domain not found', 'MAIL FROM'],
			['535 5.7.8 Authentication credentials invalid', 'AUTH PLAIN'],
		];
		expect(
			Object.fromEntries(
				cases.map(([reply, command, code]) => [reply, refused(reply, command, code)]),
			),
		).toMatchInlineSnapshot(`
			{
			  "535 5.7.8 Authentication credentials invalid": "refused-sender",
			  "550 5.1.1 <ada@fabrikam.example>: Recipient address rejected: User unknown": "permanent",
			  "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found": "permanent",
			  "550 5.2.1 The email account that you tried to reach is disabled.": "permanent",
			  "550 5.7.60 SMTP; Client does not have permissions to send as this sender": "refused-sender",
			  "550 No such user here": "permanent",
			  "550 Spam detected": "refused-sender",
			  "552 5.2.2 Mailbox full": "permanent",
			  "552 5.3.4 Message size exceeds fixed limit": "refused-sender",
			  "553 5.1.8 Sender address rejected: Domain not found": "refused-sender",
			  "553 mailbox name not allowed": "permanent",
			  "554 5.2.252 SendAsDenied; not allowed to send as the sender": "refused-sender",
			  "554 5.6.0 Message content rejected": "refused-sender",
			  "554 5.7.1 <ada@fabrikam.example>: Relay access denied": "refused-sender",
			  "554 Message rejected: Email address is not verified.": "refused-sender",
			  "554 Transaction failed": "refused-sender",
			}
		`);
	});

	it('keeps no address a server quotes, however long its reply', () => {
		expect(
			withoutAddresses(
				'550 5.1.1 <ada.q+x@fabrikam.example>: unknown; forwarded to ada@mail.example',
			),
		).toBe('550 5.1.1 <<address>>: unknown; forwarded to <address>');
		// Cut to 300 characters only after the addresses are out: no half address is left at the end.
		const long = failure(
			Object.assign(new Error('refused'), {
				response: `550 5.1.1 ${'x'.repeat(280)} <ada@fabrikam.example> and more`,
				responseCode: 550,
				command: 'RCPT TO',
			}),
		);
		expect(long.kind).toBe('permanent');
		expect('reply' in long && long.reply).toBe(
			`550 5.1.1 ${'x'.repeat(280)} <<address>> and more`.slice(0, 300),
		);
	});

	it('tells staff what the mailer said on one line, without the addresses or anything a terminal or page would act on', () => {
		const said = mailerSaid(
			new Error(
				"Can't send mail - all recipients were rejected: 451 <ada@fabrikam.example>\r\n\u001b[2J\u001b]8;;https://evil.example\u0007busy\u202e\tnow",
			),
		);
		expect(said).toBe(
			"Can't send mail - all recipients were rejected: 451 <<address>> [2J ]8;;https://evil.example busy now",
		);
		expect(mailerSaid(new Error(`421 ${'x'.repeat(400)}`))).toHaveLength(300);
		expect(mailerSaid('connect ECONNREFUSED 127.0.0.1:25')).toBe(
			'connect ECONNREFUSED 127.0.0.1:25',
		);
	});
});

describe('what rate limits count a client under', () => {
	it('is an IPv4 address as it is, and an IPv6 address’s /64 however it is written', () => {
		const cases = [
			'203.0.113.7',
			'::ffff:203.0.113.7',
			'2001:db8:1:2::5',
			'2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd',
			'2001:db8::1:2:3:4:5',
			'::1:2:3:4:5:1.2.3.4',
			'fe80::1%eth0',
			'::1',
			'unknown',
		];
		expect(Object.fromEntries(cases.map((ip) => [ip, ipBlock(ip)]))).toEqual({
			'203.0.113.7': '203.0.113.7',
			'::ffff:203.0.113.7': '203.0.113.7',
			'2001:db8:1:2::5': '2001:db8:1:2::/64',
			'2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd': '2001:db8:1:2::/64',
			'2001:db8::1:2:3:4:5': '2001:db8:0:1::/64',
			'::1:2:3:4:5:1.2.3.4': '0:1:2:3::/64',
			'fe80::1%eth0': 'fe80:0:0:0::/64',
			'::1': '0:0:0:0::/64',
			unknown: 'unknown',
		});
	});
});
