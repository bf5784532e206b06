-- lessons (issue 13); filled in by that capability.
SELECT 1;
