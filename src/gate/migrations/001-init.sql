-- The access gate's tables. Every statement runs the same on PGlite and PostgreSQL.
CREATE TABLE access_requests (
	id text PRIMARY KEY,
	created_at timestamptz NOT NULL,
	name text NOT NULL,
	email text NOT NULL,
	company text NOT NULL,
	role text NOT NULL,
	documents jsonb NOT NULL,
	reason text,
	typed_name text NOT NULL,
	nda_version text NOT NULL,
	nda_sha256 text NOT NULL,
	ip text NOT NULL,
	user_agent text NOT NULL,
	-- unverified → (confirm) → pending | approved | partial | denied; partial and pending wait for review.
	status text NOT NULL CHECK (status IN ('unverified', 'pending', 'partial', 'approved', 'denied')),
	verify_hash text NOT NULL UNIQUE,
	verify_expires_at timestamptz NOT NULL,
	verified_at timestamptz,
	rule text,
	pending_documents jsonb NOT NULL DEFAULT '[]',
	decided_at timestamptz,
	decided_by text,
	decision_reason text
);
CREATE INDEX access_requests_status ON access_requests (status);
CREATE INDEX access_requests_email ON access_requests (email);

CREATE TABLE grants (
	id text PRIMARY KEY,
	request_id text NOT NULL REFERENCES access_requests (id),
	documents jsonb NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	access_hash text NOT NULL UNIQUE,
	granted_by text NOT NULL,
	revoked_at timestamptz,
	revoked_by text,
	revoke_reason text
);

CREATE TABLE link_uses (
	link_id text PRIMARY KEY,
	grant_id text NOT NULL REFERENCES grants (id),
	uses integer NOT NULL
);

CREATE TABLE downloads (
	id text PRIMARY KEY,
	grant_id text NOT NULL REFERENCES grants (id),
	link_id text NOT NULL,
	document text NOT NULL,
	at timestamptz NOT NULL,
	ip text NOT NULL,
	user_agent text NOT NULL,
	sha256 text NOT NULL,
	bytes integer NOT NULL
);
CREATE INDEX downloads_sha256 ON downloads (sha256);

-- Fixed windows per key ("ip:…", "email:…"), shared by every replica.
CREATE TABLE rate_limits (
	key text NOT NULL,
	window_start timestamptz NOT NULL,
	count integer NOT NULL,
	PRIMARY KEY (key, window_start)
);

-- The hash-chained audit log. `at` is text so the hashed value never changes on the way through a driver.
CREATE TABLE audit_log (
	seq integer PRIMARY KEY,
	at text NOT NULL,
	type text NOT NULL,
	actor text NOT NULL,
	subject text NOT NULL,
	data jsonb NOT NULL,
	prev_hash text NOT NULL,
	hash text NOT NULL UNIQUE
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
