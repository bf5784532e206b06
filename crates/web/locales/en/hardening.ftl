## hardening: messages of this capability only (keys start with `hardening-` or as you like, unique across files).
