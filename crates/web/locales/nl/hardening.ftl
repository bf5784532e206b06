## hardening: messages of this capability only (keys start with `hardening-` or as you like, unique across files).
hardening-login-busy = Er wordt nu erg vaak ingelogd. Probeer het over een paar seconden opnieuw.
hardening-password-common = Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden en is snel te raden. Kies een zin van een paar woorden die alleen u kent.
hardening-password-contains-email = Het wachtwoord bevat uw e-mailadres. Kies een wachtwoord zonder uw adres of naam.
hardening-email-unavailable = Met dit e-mailadres kan geen nieuw account worden gemaakt. Kijk in de lijst hieronder of de collega al een account heeft; anders: gebruik een ander adres of vraag de beheerder van de erbij-installatie.
hardening-events-title = Inlogpogingen
hardening-events-hint = Na herhaalde verkeerde wachtwoorden moet wie inlogt steeds langer wachten (tot 15 minuten). Het account wordt nooit geblokkeerd: met het goede wachtwoord kan de collega na de wachttijd, of vanaf een andere plek meteen, weer inloggen. Ziet u hier een collega vaak staan, bespreek het dan met hem of haar en met de beheerder van erbij.
hardening-events-none = Geen bijzonderheden in de laatste meldingen.
hardening-event-throttled-one = Herhaald een verkeerd wachtwoord voor { $name } vanaf één plek: inloggen vanaf daar wacht nu steeds langer.
hardening-event-throttled-many = Veel verkeerde wachtwoorden voor { $name } vanaf verschillende plekken: elke inlogpoging voor dit account wacht nu steeds langer.
