## surveys: messages of this capability only (keys start with `survey-` or as you like, unique across files).
