// The console's passkey script: the only script of the console, served from /admin/assets/ under the
// gate's CSP (script-src 'self'). It turns the server's WebAuthn options (JSON, base64url) into what
// navigator.credentials expects, and the browser's answer back into JSON. Without it the buttons stay
// hidden and the page says that passkeys need JavaScript.

/** base64url text to bytes. */
function fromB64url(text) {
	const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
	const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
	return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Bytes (an ArrayBuffer or a view) to base64url text. */
function toB64url(buffer) {
	const bytes =
		buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer);
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A credential descriptor list (allow or exclude) with its ids as bytes. */
const descriptors = (list) => (list || []).map((d) => ({ ...d, id: fromB64url(d.id) }));

/** Sends `body` as JSON with the page's form token; the JSON answer, or an Error with the server's message. */
async function post(path, body, csrf) {
	const response = await fetch(path, {
		method: 'POST',
		credentials: 'same-origin',
		headers: {
			'content-type': 'application/json',
			accept: 'application/json',
			'x-csrf-token': csrf,
		},
		body: JSON.stringify({ ...body, csrf }),
	});
	const answer = await response.json().catch(() => ({}));
	if (!response.ok)
		throw new Error(
			answer.message || `The console answered ${response.status}. Reload the page and try again.`,
		);
	return answer;
}

/** What went wrong, in words for the person at the keyboard. */
function explain(error) {
	if (error && error.name === 'NotAllowedError')
		return 'The passkey prompt was closed or timed out. Try again when you are ready.';
	if (error && error.name === 'InvalidStateError')
		return 'This authenticator already holds a passkey for this console. Sign in with it instead.';
	return (error && error.message) || String(error);
}

/** Registers a passkey with the invitation on the enrolment page, then opens the console. */
async function enrol(box) {
	// The invitation's token is in a cookie of the enrolment page, which the gate reads.
	const { csrf } = box.dataset;
	const { options } = await post('/admin/enrol/options', {}, csrf);
	const created = await navigator.credentials.create({
		publicKey: {
			...options,
			challenge: fromB64url(options.challenge),
			user: { ...options.user, id: fromB64url(options.user.id) },
			excludeCredentials: descriptors(options.excludeCredentials),
		},
	});
	const r = created.response;
	const credential = {
		id: created.id,
		rawId: toB64url(created.rawId),
		type: created.type,
		response: {
			clientDataJSON: toB64url(r.clientDataJSON),
			attestationObject: toB64url(r.attestationObject),
			transports: typeof r.getTransports === 'function' ? r.getTransports() : undefined,
		},
		clientExtensionResults: created.getClientExtensionResults(),
		authenticatorAttachment: created.authenticatorAttachment || undefined,
	};
	return post('/admin/enrol/', { credential }, csrf);
}

/** Signs in with any passkey of this console the browser holds. */
async function signin(box) {
	const { csrf, next } = box.dataset;
	const { options } = await post('/admin/signin/passkey/options', {}, csrf);
	const got = await navigator.credentials.get({
		publicKey: {
			...options,
			challenge: fromB64url(options.challenge),
			allowCredentials: descriptors(options.allowCredentials),
		},
	});
	const r = got.response;
	const credential = {
		id: got.id,
		rawId: toB64url(got.rawId),
		type: got.type,
		response: {
			clientDataJSON: toB64url(r.clientDataJSON),
			authenticatorData: toB64url(r.authenticatorData),
			signature: toB64url(r.signature),
			userHandle: r.userHandle ? toB64url(r.userHandle) : undefined,
		},
		clientExtensionResults: got.getClientExtensionResults(),
		authenticatorAttachment: got.authenticatorAttachment || undefined,
	};
	return post('/admin/signin/passkey', { credential, next }, csrf);
}

for (const box of document.querySelectorAll('[data-passkey]')) {
	const button = box.querySelector('button');
	const status = box.querySelector('[role="status"]');
	const noScript = box.querySelector('[data-passkey-nojs]');
	if (!window.PublicKeyCredential) {
		noScript.textContent =
			'This browser does not support passkeys. Use a current browser, or single sign-on.';
		continue;
	}
	noScript.hidden = true;
	button.hidden = false;
	button.addEventListener('click', async () => {
		button.disabled = true;
		status.textContent = 'Waiting for your passkey…';
		try {
			const { redirect } = await (box.dataset.passkey === 'enrol' ? enrol(box) : signin(box));
			status.textContent = 'Done. Opening the console…';
			// Only a console path, as the server sent it.
			window.location.assign(/^\/admin\//.test(redirect) ? redirect : '/admin/');
		} catch (error) {
			status.textContent = explain(error);
			button.disabled = false;
		}
	});
}
