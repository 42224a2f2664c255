-- Subscriptions to updates and subprocessor changes. Every statement runs the same on PGlite and PostgreSQL.

-- One row per address. Removing an address deletes its row (and its outbox rows); only a hash of the
-- address stays, in subscription_suppressions.
CREATE TABLE subscribers (
	id text PRIMARY KEY,
	-- Lowercased; unique, so an address has one subscription with its topics.
	email text NOT NULL UNIQUE,
	topics text[] NOT NULL,
	-- pending → (confirm) → active → unsubscribed; bouncing after too many permanent failures in a row.
	state text NOT NULL CHECK (state IN ('pending', 'active', 'unsubscribed', 'bouncing')),
	created_at timestamptz NOT NULL,
	-- Proof of consent, deleted with the row: where the subscription was asked for and confirmed from.
	created_ip text NOT NULL,
	created_user_agent text NOT NULL,
	confirm_hash text UNIQUE,
	confirm_expires_at timestamptz,
	confirmed_at timestamptz,
	confirmed_ip text,
	confirmed_user_agent text,
	unsubscribed_at timestamptz,
	-- Permanent (5xx) failures in a row; a delivery resets it.
	bounces integer NOT NULL DEFAULT 0,
	last_bounce text
);
CREATE INDEX subscribers_state ON subscribers (state);

-- Addresses removed by the security team, as salted hashes: never mailed, never added back by a form.
CREATE TABLE subscription_suppressions (
	email_hash text PRIMARY KEY,
	created_at timestamptz NOT NULL,
	actor text NOT NULL
);

-- One row: the secret that signs management links, the salt of the address hashes, and when the first
-- discovery recorded the site's history (never mailed).
CREATE TABLE subscription_state (
	id integer PRIMARY KEY CHECK (id = 1),
	link_secret text NOT NULL,
	hash_salt text NOT NULL,
	baselined_at timestamptz
);

-- Public items found in the served build: an update, or a subprocessor added or removed. `payload` holds
-- the public fields a mail is made from, as the public edition published them.
CREATE TABLE notify_items (
	id text PRIMARY KEY,
	-- The topic subscribers choose it by: an update kind, or subprocessor-change.
	topic text NOT NULL,
	payload jsonb NOT NULL,
	-- The item's own date (an update's date, a subprocessor's notice, effective or removal date).
	published_at timestamptz NOT NULL,
	first_seen timestamptz NOT NULL,
	-- Found by the first discovery: the site's history, never mailed.
	baseline boolean NOT NULL,
	recipients integer NOT NULL DEFAULT 0
);

-- One mail per subscriber per item, ever (the primary key). `due_at` is when the row next needs the
-- sender: a queued row's next attempt, or the end of a sending row's lease.
CREATE TABLE mail_outbox (
	id bigserial PRIMARY KEY,
	subscriber_id text NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	item_id text NOT NULL REFERENCES notify_items (id),
	-- queued → sending (claimed under a lease) → sent, or back to queued (4xx, lost connection), failed
	-- (5xx, or temporary failures for too long), skipped (unsubscribed, bouncing or topic dropped first).
	state text NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
	queued_at timestamptz NOT NULL,
	due_at timestamptz NOT NULL,
	attempts integer NOT NULL DEFAULT 0,
	claim_token text,
	last_attempt_at timestamptz,
	sent_at timestamptz,
	-- The SMTP server's last reply, or why the row was skipped or failed.
	reply text,
	UNIQUE (subscriber_id, item_id)
);
CREATE INDEX mail_outbox_due ON mail_outbox (due_at) WHERE state IN ('queued', 'sending');
CREATE INDEX mail_outbox_item ON mail_outbox (item_id, state);
CREATE INDEX mail_outbox_last_attempt ON mail_outbox (last_attempt_at);
