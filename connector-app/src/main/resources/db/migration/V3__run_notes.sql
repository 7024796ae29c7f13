-- What an operator should know about a run that did not fail: it stopped at the row cap, the checkpoint could not move.
ALTER TABLE import_runs ADD COLUMN note varchar(4000);
