## signals: messages of this capability only (keys start with `signals-` or `error-signals-`).
error-signals-unknown-kind = Choose one of the signs in the list.
error-signals-invalid-date = That is not a valid date. Write for example 2026-03-02.
error-signals-future-date = The date is in the future. Choose the day you saw the sign (today or earlier).
error-signals-note-too-long = The note is too long: keep it short, at most 1000 characters. A report belongs in a case file.
error-signals-note-required = "Something else" needs a short note: write down what you saw.
error-signals-note-control = The note contains invisible control characters. Type the text again.
error-signals-pupil-archived = This pupil has left the school (archived). No more signs can be added.
error-signals-undo-too-late = Undo works only in the first minute. Withdraw the sign instead: who did so and when stays visible.
error-signals-already-withdrawn = This sign has been withdrawn and can no longer be changed.
error-signals-rule-count = A rule counts at least 1 and at most 50.
error-signals-rule-window = A period is at least 1 and at most 366 days.
error-signals-rule-count-above-kinds = The rule asks for more different signs than it counts. Choose more kinds or a lower number.
error-signals-too-many-rules = At most 10 rules.
error-signals-unknown-rule = Choose a kind of rule from the list.
error-signals-bad-json = The request is not valid JSON with the expected fields.
