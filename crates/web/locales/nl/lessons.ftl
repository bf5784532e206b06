## lessons: messages of this capability only (keys start with `lesson-` or as you like, unique across files).
