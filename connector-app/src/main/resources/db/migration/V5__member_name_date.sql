-- The date of the registration whose name a member holds: the name on the registration with the newest date wins,
-- whichever source or run wrote last (issue 19). NULL for members named before this column existed: the next named
-- registration sets it.
ALTER TABLE members ADD COLUMN name_date timestamp with time zone;
