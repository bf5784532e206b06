-- signals (issue 9); filled in by that capability.
SELECT 1;
