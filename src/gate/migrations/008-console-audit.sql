-- The console's audit log pages filter by event type, newest first, a page at a time, and list the types
-- the log holds (one index probe per type); the dashboard counts this month's downloads and grants.
CREATE INDEX audit_log_type ON audit_log (type, seq);
