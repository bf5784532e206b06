## evidence: messages of this capability only (keys start with `evidence-` or as you like, unique across files).
