-- The console's lists are paged by (created_at, id): the review queue reads this index, a page at a time.
CREATE INDEX access_requests_waiting ON access_requests (created_at, id) WHERE status IN ('pending', 'partial');
CREATE INDEX grants_created ON grants (created_at DESC, id DESC);
