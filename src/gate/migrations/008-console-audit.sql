-- The console's audit log pages filter by event type, newest first, a page at a time, and list the types
-- the log holds with one index probe per type. (The dashboard's counts read indexes that exist already:
-- the waiting requests' and grants' from 006, the downloads' by time from 007.)
CREATE INDEX audit_log_type ON audit_log (type, seq);
