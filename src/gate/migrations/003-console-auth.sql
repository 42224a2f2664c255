-- The security team's console: passkey invitations and passkeys, sessions, and sign-ins under way.
-- Every statement runs the same on PGlite and PostgreSQL.

-- One-time enrolment links from `npm run gate -- staff invite`; only the token's SHA-256 is kept.
CREATE TABLE staff_invites (
	id text PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	email text NOT NULL,
	role text NOT NULL CHECK (role IN ('viewer', 'approver', 'admin')),
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	created_by text NOT NULL,
	used_at timestamptz
);

-- Enrolled passkeys: the public key and signature counter of each WebAuthn credential.
CREATE TABLE staff_passkeys (
	id text PRIMARY KEY,
	credential_id text NOT NULL UNIQUE,
	email text NOT NULL,
	role text NOT NULL CHECK (role IN ('viewer', 'approver', 'admin')),
	-- The WebAuthn user handle: one per e-mail address, shared by that person's passkeys.
	user_handle text NOT NULL,
	public_key text NOT NULL,
	counter bigint NOT NULL,
	transports jsonb NOT NULL DEFAULT '[]',
	invite_id text NOT NULL REFERENCES staff_invites (id),
	created_at timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX staff_passkeys_email ON staff_passkeys (email);

-- Console sessions, shared by every replica. The cookie holds a random token; only its SHA-256 is kept.
-- A session ends at sign-out, after its idle or absolute timeout, or when its passkey is removed.
CREATE TABLE staff_sessions (
	id text PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	email text NOT NULL,
	name text,
	method text NOT NULL CHECK (method IN ('oidc', 'passkey')),
	issuer text NOT NULL,
	subject text NOT NULL,
	groups jsonb NOT NULL DEFAULT '[]',
	passkey_id text,
	ip text NOT NULL,
	user_agent text NOT NULL,
	created_at timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	ended_at timestamptz,
	end_reason text
);
CREATE INDEX staff_sessions_email ON staff_sessions (email);
CREATE INDEX staff_sessions_passkey ON staff_sessions (passkey_id);

-- Sign-ins under way, each used once: the OIDC state, nonce and PKCE verifier, or a WebAuthn challenge.
-- The browser holds a random token in a cookie; only its SHA-256 is kept.
CREATE TABLE staff_signins (
	token_hash text PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('oidc', 'passkey', 'enrol')),
	data jsonb NOT NULL,
	expires_at timestamptz NOT NULL
);
