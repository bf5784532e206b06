-- evidence (issue 12); filled in by that capability.
SELECT 1;
