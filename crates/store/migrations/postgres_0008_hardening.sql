-- hardening (issue 14); filled in by that capability.
SELECT 1;
