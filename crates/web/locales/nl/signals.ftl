## signals: messages of this capability only (keys start with `signal-` or as you like, unique across files).
