## lessons: messages of this capability only (keys start with `lesson-` or as you like, unique across files).
nav-lessons = Lessons
lesson-title = Lessons: dilemmas and class agreements
lesson-intro = Talk about online behaviour before anything happens. Pupils vote anonymously on their phones; you discuss the outcome with the class.
lesson-recent = Recent
lesson-session-word = Dilemma lesson
lesson-agreements-word = Class agreements
lesson-dilemma-count = { $count ->
    [one] 1 dilemma
   *[other] { $count } dilemmas
}
lesson-live = running now
lesson-review-on = discuss again on { $date }
lesson-start-heading = Start a dilemma lesson
lesson-no-classes = { $kind ->
    [po] You have no group to teach yet.
   *[other] You have no class to teach yet.
}
lesson-start-help = { $kind ->
    [po] Tick the dilemmas below (two or three fit in twenty minutes), choose the group and start. The board shows a code and a QR code for the phones.
   *[other] Tick the dilemmas below (two or three fit in twenty minutes), choose the class and start. The board shows a code and a QR code for the phones.
}
lesson-class = { $kind ->
    [po] Group
   *[other] Class
}
lesson-start-submit = Start the lesson on the board
lesson-agreements-heading = Make class agreements
lesson-agreements-help = Pupils propose agreements about online behaviour and vote for the ones they support. Then you settle the list; it becomes a poster.
lesson-votes-per-pupil = Votes per pupil
lesson-open-round = Open a round
lesson-bank-heading = Dilemma bank
lesson-bank-help = { $count } dilemmas by erbij, written from situations pupils recognise, plus your school's own dilemmas.
lesson-filter = Age:
lesson-age-all = all
lesson-age-primary = groep 7-8 (age 10-12)
lesson-age-secondary = lower secondary
lesson-own = The school's own dilemma
lesson-details = View
lesson-questions = Discussion questions
lesson-hide = Hide for the school
lesson-show = Show again
lesson-hidden-heading = Hidden dilemmas
lesson-own-heading = Add your own dilemma
lesson-own-help = Write a situation your pupils recognise, without real names. Two to four choices and one to three discussion questions.
lesson-field-title = Title
lesson-field-situation = Situation
lesson-field-choices = Choices
lesson-field-choice = Choice { $number }
lesson-field-questions = Discussion questions
lesson-field-question = Question { $number }
lesson-field-ages = Suits
lesson-own-submit = Add dilemma
lesson-board-title = Dilemma lesson
lesson-dilemma-of = Dilemma { $number } of { $count }
lesson-session-finished = Finished lesson
lesson-results = Results
lesson-bar-count = { $votes } ({ $percent }%)
lesson-join-heading = Join in
lesson-join-go = Go to { $address } and type the code:
lesson-code = Code
lesson-qr-label = QR code to join
lesson-joined = joined
lesson-votes = votes
lesson-step-reveal = Show the results
lesson-step-discuss = To the discussion questions
lesson-step-next = Next dilemma
lesson-step-finish = Finish the lesson
lesson-end = End the lesson now
lesson-refresh = Refresh
lesson-ends-at = The code works until { $time }; then the lesson ends by itself and only the totals are kept.
lesson-finished-help = This lesson has ended. Only the totals per choice are kept; nothing links a vote to a pupil or a phone.
lesson-total-votes = { $count ->
    [one] 1 vote
   *[other] { $count } votes
}
lesson-join-title = Join the lesson
lesson-join-help = Type the code shown on the board.
lesson-join-submit = Join
lesson-anonymous = Your vote is anonymous: your teacher only sees how many votes each choice got.
lesson-pupil-title = Vote
lesson-pupil-voted = Your vote has been counted. Look at the board; this page refreshes by itself.
lesson-pupil-wait = Voting is closed. Look at the board; this page refreshes by itself.
lesson-pupil-choose = What would you do?
lesson-pupil-vote = Vote
lesson-pupil-propose-title = What do we agree?
lesson-pupil-propose-help = How do we want to treat each other online, in the class group and on social media? Write an agreement, without classmates' names.
lesson-pupil-proposal = Your proposal
lesson-pupil-propose-submit = Send proposal
lesson-pupil-so-far = Proposals so far
lesson-pupil-ballot-title = Which agreements do you support?
lesson-pupil-ballot-help = Choose at most { $count }.
lesson-pupil-ballot-submit = Vote
lesson-pupil-ballot-done = Your votes have been counted. Thank you!
lesson-pupil-settled = { $kind ->
    [po] The agreements are settled. Your teacher will show them.
   *[other] The agreements are settled. Your mentor will show them.
}
lesson-round-heading = Agreements about online behaviour
lesson-round-phase-proposing = Collecting proposals
lesson-round-phase-voting = Voting
lesson-round-phase-settled = Settled
lesson-final-list = Our agreements
lesson-settled-at = settled { $time }
lesson-poster-small = Poster (A4)
lesson-poster-large = Poster (A3)
lesson-review-next = Discuss again on
lesson-review-submit = Save date
lesson-proposals = Proposals
lesson-proposing-help = Pupils send proposals from their phones (at most three per phone). You can also type them in. Remove proposals that name someone or repeat another.
lesson-voting-help = Pupils now choose the agreements they support, at most { $count } each. Votes are counted at once.
lesson-no-proposals = No proposals yet.
lesson-on-list = On the list
lesson-proposal = Proposal
lesson-by-teacher = typed in by the teacher
lesson-remove = Remove
lesson-teacher-proposal = Type a proposal
lesson-add = Add
lesson-open-voting = Open voting
lesson-settle-heading = Settle the list
lesson-settle-help = Tick the agreements that go on the poster (those with the most votes are ticked already) and choose when the class discusses them again.
lesson-settle-submit = Settle the list
lesson-poster-title = Our agreements online
lesson-poster-lead = This is how we treat each other in the class group and on social media.
lesson-poster-made = Made together on { $date }
lesson-poster-review = we discuss them again on { $date }
lesson-poster-back = Back
lesson-poster-print = Print with Ctrl+P (Cmd+P on a Mac)
lesson-class-agreements = Class agreements online
lesson-class-no-agreements = No settled class agreements yet.
lesson-open-round-link = A round of class agreements is open
lesson-class-sessions = Dilemma lessons
lesson-to-lessons = To the lessons
lesson-reminders-heading = Discuss class agreements
lesson-reminder = Class agreements { $class }
lesson-reminder-overdue = was due to be discussed on { $date }
done-lesson-dilemma-added = The dilemma is in your school's bank.
done-lesson-hidden = The dilemma is hidden for the school.
done-lesson-shown = The dilemma is back in the bank.
done-lesson-session-ended = The lesson has ended; only the totals are kept.
done-lesson-joined = You have joined. Now choose your answer.
done-lesson-voted = Your vote has been counted.
done-lesson-proposed = The proposal has been added.
done-lesson-ballot = Your votes have been counted.
done-lesson-removed = The proposal has been removed.
done-lesson-voting-open = Pupils can vote now.
done-lesson-settled = The agreements are settled. Print the poster and put it up.
done-lesson-review-set = The new date has been saved.
error-lesson-too-many-codes = Too many wrong codes from this address. Wait ten minutes and try again.
error-lesson-choice-count = A dilemma needs two to four choices.
error-lesson-question-count = A dilemma needs one to three discussion questions.
error-lesson-dilemma-count = Choose one to twelve dilemmas for the lesson.
error-lesson-unknown-dilemma = That dilemma is not (or no longer) in your school's bank.
error-lesson-unknown-code = This code is wrong or the lesson has ended. Look at the board again.
error-lesson-not-voting = This dilemma is not open for voting (any more). Look at the board.
error-lesson-choice = Choose one of the answers.
error-lesson-already-voted = You already voted on this dilemma.
error-lesson-full = Sixty phones have joined already; no more can.
error-lesson-ended = This lesson has already ended.
error-lesson-wrong-phase = Not possible now: the round has moved on.
error-lesson-too-many-votes = You chose too many; check how many you may choose.
error-lesson-proposal-limit = You already sent three proposals (or the list is full).
error-lesson-empty = Choose at least one agreement.
