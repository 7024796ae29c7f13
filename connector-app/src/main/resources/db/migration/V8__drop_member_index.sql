-- registrations_member (member_id_source, member_id) served no query of Tributary's: the API and the Plecto push read
-- registrations by source and date or by key. Every batch wrote into it at as many places as the batch has members,
-- which cost the embedded H2 store a quarter of its CPU and two thirds of its file (engine probe, docs/benchmarks.md).
-- A reader who queries the store by member can create it again; Tributary never recreates or needs it.
DROP INDEX IF EXISTS registrations_member;
