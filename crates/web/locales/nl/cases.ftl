## cases: messages of this capability only (keys start with `case-` or as you like, unique across files).
