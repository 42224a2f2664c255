-- The console's history and downloads are read newest first, a page at a time, with optional filters:
-- each filter that can use an index has one that also keeps the (time, id) order, so a page stops
-- after its rows. A company is matched by substring, which no B-tree serves: that filter walks the
-- time index and stops once a page is full.
CREATE INDEX access_requests_newest ON access_requests (created_at DESC, id DESC);
CREATE INDEX access_requests_status_newest ON access_requests (status, created_at DESC, id DESC);
CREATE INDEX access_requests_domain_newest ON access_requests (split_part(email, '@', 2), created_at DESC, id DESC);
CREATE INDEX grants_request ON grants (request_id);
CREATE INDEX downloads_newest ON downloads (at DESC, id DESC);
CREATE INDEX downloads_document_newest ON downloads (document, at DESC, id DESC);
CREATE INDEX downloads_grant ON downloads (grant_id);
