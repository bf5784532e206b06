-- cases (issue 11); filled in by that capability.
SELECT 1;
