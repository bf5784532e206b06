-- A class that no longer exists (end of the school year) is archived with the date, not deleted.
ALTER TABLE classes ADD COLUMN archived_on TEXT;
