-- An access rule may waive the NDA (nda: waived): such a request has no typed signature, and names the
-- rule that waived it. Requests that accepted the NDA keep their typed name and have no waiver.
ALTER TABLE access_requests ALTER COLUMN typed_name DROP NOT NULL;
ALTER TABLE access_requests ADD COLUMN nda_waived_by text;
ALTER TABLE access_requests ADD CONSTRAINT access_requests_signed_or_waived
	CHECK ((typed_name IS NULL) <> (nda_waived_by IS NULL));
