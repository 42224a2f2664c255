import { z } from 'zod';

/** Base64url text as WebAuthn's JSON encoding writes it, at most `max` characters. */
const b64 = (max: number) =>
	z
		.string()
		.regex(/^[A-Za-z0-9_-]*$/)
		.min(1)
		.max(max);

/** A one-time enrolment token as mailed: 32 random bytes, base64url. */
export const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** What the browser's navigator.credentials.create() made, as the console's script sends it. */
export const RegistrationResponseSchema = z.object({
	/** The new credential's id. */
	id: b64(1366),
	rawId: b64(1366),
	type: z.literal('public-key'),
	response: z.object({
		clientDataJSON: b64(4096),
		attestationObject: b64(8192),
		/** How the authenticator can be reached (usb, internal, hybrid…), kept to offer it again. */
		transports: z.array(z.string().max(20)).max(10).optional(),
	}),
	clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
	authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** What the browser's navigator.credentials.get() signed, as the console's script sends it. */
export const AuthenticationResponseSchema = z.object({
	/** The credential's id, which names the passkey. */
	id: b64(1366),
	rawId: b64(1366),
	type: z.literal('public-key'),
	response: z.object({
		clientDataJSON: b64(4096),
		authenticatorData: b64(4096),
		signature: b64(2048),
		/** The WebAuthn user handle the passkey was made for. */
		userHandle: b64(128).optional(),
	}),
	clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
	authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** The body of `POST /admin/enrol/`: the new passkey (the invitation's token is in a cookie). */
export const EnrolBodySchema = z.strictObject({
	credential: RegistrationResponseSchema,
	csrf: z.string().optional(),
});

/** The body of `POST /admin/signin/passkey`: the signed challenge. */
export const PasskeySigninBodySchema = z.strictObject({
	credential: AuthenticationResponseSchema,
	/** The console page to open after signing in (checked again by the server). */
	next: z.string().max(200).optional(),
	csrf: z.string().optional(),
});
