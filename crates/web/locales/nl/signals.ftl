## signals: messages of this capability only (keys start with `signals-` or `error-signals-`).
error-signals-unknown-kind = Kies een van de signalen uit de lijst.
error-signals-invalid-date = Dat is geen geldige datum. Schrijf bijvoorbeeld 02-03-2026.
error-signals-future-date = De datum ligt in de toekomst. Kies de dag waarop je het signaal zag (vandaag of eerder).
error-signals-note-too-long = De notitie is te lang: houd het kort, hoogstens 1000 tekens. Een verslag hoort in een pestdossier.
error-signals-note-required = Bij "iets anders" is een korte notitie nodig: schrijf op wat je zag.
error-signals-note-control = De notitie bevat onzichtbare stuurtekens. Typ de tekst opnieuw.
error-signals-pupil-archived = Deze leerling heeft de school verlaten (gearchiveerd). Je kunt geen signalen meer toevoegen.
error-signals-undo-too-late = Ongedaan maken kan alleen in de eerste minuut. Trek het signaal in: dan blijft zichtbaar wie dat deed en wanneer.
error-signals-already-withdrawn = Dit signaal is ingetrokken en kan niet meer worden aangepast.
error-signals-rule-count = Een regel telt minstens 1 en hoogstens 50.
error-signals-rule-window = Een periode is minstens 1 en hoogstens 366 dagen.
error-signals-rule-count-above-kinds = De regel vraagt meer verschillende signalen dan hij meetelt. Kies meer soorten of een lager aantal.
error-signals-too-many-rules = Hoogstens 10 regels.
error-signals-unknown-rule = Kies een soort regel uit de lijst.
error-signals-bad-json = Het verzoek is geen geldige JSON met de verwachte velden.
