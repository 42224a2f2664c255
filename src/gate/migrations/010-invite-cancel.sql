-- An admin may cancel an invitation sent to the wrong address or no longer wanted: its link is then
-- refused like a used one, and the open invitations no longer list it.
ALTER TABLE staff_invites ADD COLUMN cancelled_at timestamptz;
ALTER TABLE staff_invites ADD COLUMN cancelled_by text;
