## hardening: messages of this capability only (keys start with `hardening-` or as you like, unique across files).
hardening-login-busy = Very many people are logging in right now. Try again in a few seconds.
hardening-password-common = This password is on the list of commonly used passwords and easy to guess. Choose a sentence of a few words only you know.
hardening-password-contains-email = The password contains your e-mail address. Choose one without your address or name.
hardening-email-unavailable = No new account can be made with this e-mail address. Check the list below for an existing account of this colleague; otherwise use another address or ask the administrator of this erbij installation.
hardening-events-title = Login attempts
hardening-events-hint = After repeated wrong passwords, whoever logs in has to wait longer each time (up to 15 minutes). The account is never blocked: with the right password your colleague logs in after the wait, or at once from another place. If a colleague appears here often, talk it over with them and with the administrator of erbij.
hardening-events-none = Nothing notable in the latest reports.
hardening-event-throttled-one = Repeated wrong passwords for { $name } from one place: logins from there now wait longer each time.
hardening-event-throttled-many = Many wrong passwords for { $name } from several places: every login to this account now waits longer each time.
