## lessons: messages of this capability only (keys start with `lesson-` or as you like, unique across files).
nav-lessons = Lessen
lesson-title = Lessen: dilemma's en klassenafspraken
lesson-intro = Praat over online gedrag voordat er iets gebeurt. Leerlingen stemmen anoniem op hun telefoon; u bespreekt de uitkomst met de klas.
lesson-recent = Recent
lesson-session-word = Dilemmales
lesson-agreements-word = Klassenafspraken
lesson-dilemma-count = { $count ->
    [one] 1 dilemma
   *[other] { $count } dilemma's
}
lesson-live = loopt nu
lesson-review-on = opnieuw bespreken op { $date }
lesson-start-heading = Een dilemmales starten
lesson-no-classes = { $kind ->
    [po] U heeft nog geen groep om een les mee te geven.
   *[other] U heeft nog geen klas om een les mee te geven.
}
lesson-start-help = { $kind ->
    [po] Vink hieronder de dilemma's aan (twee of drie passen in twintig minuten), kies de groep en start. Het bord toont een code en een QR-code voor de telefoons.
   *[other] Vink hieronder de dilemma's aan (twee of drie passen in twintig minuten), kies de klas en start. Het bord toont een code en een QR-code voor de telefoons.
}
lesson-class = { $kind ->
    [po] Groep
   *[other] Klas
}
lesson-start-submit = Start de les op het bord
lesson-agreements-heading = Klassenafspraken maken
lesson-agreements-help = Leerlingen stellen afspraken voor over online gedrag en stemmen op de afspraken die zij steunen. U stelt daarna de lijst vast; die wordt een poster.
lesson-votes-per-pupil = Stemmen per leerling
lesson-open-round = Ronde openen
lesson-bank-heading = Dilemmabank
lesson-bank-help = { $count } dilemma's van erbij, geschreven vanuit situaties die leerlingen herkennen, plus de eigen dilemma's van uw school.
lesson-filter = Leeftijd:
lesson-age-all = alle
lesson-age-primary = groep 7-8
lesson-age-secondary = onderbouw vo
lesson-own = Eigen dilemma van de school
lesson-details = Bekijken
lesson-questions = Gespreksvragen
lesson-hide = Verbergen voor de school
lesson-show = Weer tonen
lesson-hidden-heading = Verborgen dilemma's
lesson-own-heading = Eigen dilemma toevoegen
lesson-own-help = Schrijf een situatie die uw leerlingen herkennen, zonder echte namen. Twee tot vier keuzes en één tot drie gespreksvragen.
lesson-field-title = Titel
lesson-field-situation = Situatie
lesson-field-choices = Keuzes
lesson-field-choice = Keuze { $number }
lesson-field-questions = Gespreksvragen
lesson-field-question = Vraag { $number }
lesson-field-ages = Geschikt voor
lesson-own-submit = Dilemma toevoegen
lesson-board-title = Dilemmales
lesson-dilemma-of = Dilemma { $number } van { $count }
lesson-session-finished = Afgelopen les
lesson-results = Uitslag
lesson-bar-count = { $votes } ({ $percent }%)
lesson-join-heading = Doe mee
lesson-join-go = Ga naar { $address } en typ de code:
lesson-code = Code
lesson-qr-label = QR-code om mee te doen
lesson-joined = doen mee
lesson-votes = stemmen
lesson-step-reveal = Toon de uitslag
lesson-step-discuss = Naar de gespreksvragen
lesson-step-next = Volgende dilemma
lesson-step-finish = Les afronden
lesson-end = Les nu beëindigen
lesson-refresh = Vernieuwen
lesson-ends-at = De code werkt tot { $time }; daarna eindigt de les vanzelf en blijven alleen de totalen bewaard.
lesson-finished-help = Deze les is afgelopen. Alleen de totalen per keuze zijn bewaard; niets verbindt een stem aan een leerling of telefoon.
lesson-total-votes = { $count ->
    [one] 1 stem
   *[other] { $count } stemmen
}
lesson-join-title = Meedoen met de les
lesson-join-help = Typ de code die op het bord staat.
lesson-join-submit = Meedoen
lesson-anonymous = Je stem is anoniem: je juf, meester of mentor ziet alleen hoeveel stemmen elke keuze kreeg.
lesson-pupil-title = Stemmen
lesson-pupil-voted = Je stem is geteld. Kijk naar het bord; deze pagina ververst vanzelf.
lesson-pupil-wait = Stemmen is gesloten. Kijk naar het bord; deze pagina ververst vanzelf.
lesson-pupil-choose = Wat zou jij doen?
lesson-pupil-vote = Stem
lesson-pupil-propose-title = Wat spreken we af?
lesson-pupil-propose-help = Hoe willen we online met elkaar omgaan, in de klassenapp en op social media? Schrijf een afspraak, zonder namen van klasgenoten.
lesson-pupil-proposal = Jouw voorstel
lesson-pupil-propose-submit = Voorstel insturen
lesson-pupil-so-far = Voorstellen tot nu toe
lesson-pupil-ballot-title = Welke afspraken steun jij?
lesson-pupil-ballot-help = Kies er hoogstens { $count }.
lesson-pupil-ballot-submit = Stemmen
lesson-pupil-ballot-done = Je stemmen zijn geteld. Dank je wel!
lesson-pupil-settled = { $kind ->
    [po] De afspraken zijn vastgesteld. Je juf of meester laat ze zien.
   *[other] De afspraken zijn vastgesteld. Je mentor laat ze zien.
}
lesson-round-heading = Afspraken over online gedrag
lesson-round-phase-proposing = Voorstellen verzamelen
lesson-round-phase-voting = Stemmen
lesson-round-phase-settled = Vastgesteld
lesson-final-list = Onze afspraken
lesson-settled-at = vastgesteld { $time }
lesson-poster-small = Poster (A4)
lesson-poster-large = Poster (A3)
lesson-review-next = Opnieuw bespreken op
lesson-review-submit = Datum opslaan
lesson-proposals = Voorstellen
lesson-proposing-help = Leerlingen sturen voorstellen in vanaf hun telefoon (hoogstens drie per telefoon). U kunt ze ook zelf intypen. Haal voorstellen weg die iemand noemen of dubbel zijn.
lesson-voting-help = Leerlingen kiezen nu de afspraken die zij steunen, ieder hoogstens { $count }. De stemmen worden meteen geteld.
lesson-no-proposals = Nog geen voorstellen.
lesson-on-list = Op de lijst
lesson-proposal = Voorstel
lesson-by-teacher = ingetypt door leraar
lesson-remove = Weghalen
lesson-teacher-proposal = Voorstel intypen
lesson-add = Toevoegen
lesson-open-voting = Stemmen openen
lesson-settle-heading = Lijst vaststellen
lesson-settle-help = Vink de afspraken aan die op de poster komen (de meeste stemmen staan al aangevinkt) en kies wanneer de klas ze opnieuw bespreekt.
lesson-settle-submit = Lijst vaststellen
lesson-poster-title = Onze afspraken online
lesson-poster-lead = Zo gaan wij met elkaar om in de klassenapp en op social media.
lesson-poster-made = Samen gemaakt op { $date }
lesson-poster-review = we bespreken ze opnieuw op { $date }
lesson-poster-back = Terug
lesson-poster-print = Druk af met Ctrl+P (Cmd+P op een Mac)
lesson-class-agreements = Klassenafspraken online
lesson-class-no-agreements = Nog geen vastgestelde klassenafspraken.
lesson-open-round-link = Er loopt een ronde klassenafspraken
lesson-class-sessions = Dilemmalessen
lesson-to-lessons = Naar de lessen
lesson-reminders-heading = Klassenafspraken bespreken
lesson-reminder = Klassenafspraken { $class }
lesson-reminder-overdue = had besproken moeten worden op { $date }
done-lesson-dilemma-added = Het dilemma staat in de bank van uw school.
done-lesson-hidden = Het dilemma is verborgen voor de school.
done-lesson-shown = Het dilemma staat weer in de bank.
done-lesson-session-ended = De les is beëindigd; alleen de totalen zijn bewaard.
done-lesson-joined = Je doet mee. Kies nu je antwoord.
done-lesson-voted = Je stem is geteld.
done-lesson-proposed = Het voorstel is toegevoegd.
done-lesson-ballot = Je stemmen zijn geteld.
done-lesson-removed = Het voorstel is weggehaald.
done-lesson-voting-open = De leerlingen kunnen nu stemmen.
done-lesson-settled = De afspraken zijn vastgesteld. Druk de poster af en hang hem op.
done-lesson-review-set = De nieuwe datum is opgeslagen.
error-lesson-too-many-codes = Te veel verkeerde codes vanaf dit adres. Wacht tien minuten en probeer het dan opnieuw.
error-lesson-choice-count = Een dilemma heeft twee tot vier keuzes nodig.
error-lesson-question-count = Een dilemma heeft één tot drie gespreksvragen nodig.
error-lesson-dilemma-count = Kies één tot twaalf dilemma's voor de les.
error-lesson-unknown-dilemma = Dat dilemma staat niet (meer) in de bank van uw school.
error-lesson-unknown-code = Deze code klopt niet of de les is afgelopen. Kijk nog eens op het bord.
error-lesson-not-voting = Over dit dilemma kan nu niet (meer) gestemd worden. Kijk naar het bord.
error-lesson-choice = Kies een van de antwoorden.
error-lesson-already-voted = Je hebt al gestemd op dit dilemma.
error-lesson-full = Er doen al zestig telefoons mee; meer kan niet.
error-lesson-ended = Deze les is al afgelopen.
error-lesson-wrong-phase = Dat kan nu niet: de ronde is al verder.
error-lesson-too-many-votes = Je kiest er te veel; kijk hoeveel je er mag kiezen.
error-lesson-proposal-limit = Je hebt al drie voorstellen ingestuurd (of de lijst is vol).
error-lesson-empty = Kies minstens één afspraak.
