-- Signing keys kept in the database (when GATE_SIGNING_KEYS is not set), so that every replica signs
-- and checks links with the same keys and admins rotate and retire them in the console or the CLI.
-- The newest key that is not retired signs; every key that is not retired verifies. Secrets never
-- leave the gate: pages, logs, exports and the audit log show a fingerprint instead.
CREATE TABLE signing_keys (
	kid text PRIMARY KEY,
	secret bytea NOT NULL,
	created_at timestamptz NOT NULL,
	created_by text NOT NULL,
	retired_at timestamptz,
	retired_by text
);
