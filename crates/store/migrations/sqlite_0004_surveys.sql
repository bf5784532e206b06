-- surveys (issue 10); filled in by that capability.
SELECT 1;
