//! Writes export text line by line in one of three phone formats, as WhatsApp would.

use erbij_chat::LocalDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phone {
    /// `12-09-2025 19:34 - Naam: tekst`
    AndroidDutch,
    /// `[12-09-2025 19:34:02] Naam: tekst`
    IphoneDutch,
    /// `9/12/25, 7:34 PM - Name: text`
    AndroidEnglish,
}

impl Phone {
    pub fn dutch(self) -> bool {
        self != Phone::AndroidEnglish
    }
}

/// Someone as one export names them: a contact name, or the exporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Exporter,
    Contact(String),
}

#[derive(Debug)]
pub struct ExportWriter {
    phone: Phone,
    pub text: String,
    pub lines: u32,
}

impl ExportWriter {
    pub fn new(phone: Phone) -> Self {
        ExportWriter { phone, text: String::new(), lines: 0 }
    }

    fn header(&self, t: LocalDateTime) -> String {
        match self.phone {
            Phone::AndroidDutch => format!("{:02}-{:02}-{} {:02}:{:02} - ", t.day(), t.month(), t.year(), t.hour(), t.minute()),
            Phone::IphoneDutch => format!("[{:02}-{:02}-{} {:02}:{:02}:{:02}] ", t.day(), t.month(), t.year(), t.hour(), t.minute(), t.second()),
            Phone::AndroidEnglish => {
                let hour = if t.hour() % 12 == 0 { 12 } else { t.hour() % 12 };
                let suffix = if t.hour() < 12 { "AM" } else { "PM" };
                format!("{}/{}/{:02}, {hour}:{:02}\u{202F}{suffix} - ", t.month(), t.day(), t.year() % 100, t.minute())
            }
        }
    }

    fn push(&mut self, t: LocalDateTime, body: &str) {
        let header = self.header(t);
        self.text.push_str(&header);
        self.text.push_str(body);
        self.text.push('\n');
        self.lines += 1 + body.matches('\n').count() as u32;
    }

    fn name(&self, who: &Who, subject: bool) -> String {
        match (who, self.phone.dutch(), subject) {
            (Who::Contact(name), _, _) => name.clone(),
            (Who::Exporter, true, true) => "U".into(),
            (Who::Exporter, true, false) => "u".into(),
            (Who::Exporter, false, true) => "You".into(),
            (Who::Exporter, false, false) => "you".into(),
        }
    }

    fn list(&self, who: &[Who]) -> String {
        let names: Vec<String> = who.iter().map(|w| self.name(w, false)).collect();
        let and = if self.phone.dutch() { " en " } else { " and " };
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        }
    }

    /// Returns the 1-based line the entry starts on.
    pub fn message(&mut self, t: LocalDateTime, author: &str, text: &str) -> u32 {
        let line = self.lines + 1;
        self.push(t, &format!("{author}: {text}"));
        line
    }

    pub fn encryption_notice(&mut self, t: LocalDateTime) {
        let text = if self.phone.dutch() {
            "Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet. Tik voor meer informatie."
        } else {
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
        };
        self.push(t, text);
    }

    pub fn created(&mut self, t: LocalDateTime, by: &Who, group: &str) {
        let name = self.name(by, true);
        let body = match (self.phone, by) {
            (Phone::AndroidDutch, Who::Exporter) => format!("U hebt de groep {group} gemaakt"),
            (Phone::AndroidDutch, _) => format!("{name} heeft de groep {group} gemaakt"),
            (Phone::IphoneDutch, Who::Exporter) => format!("U hebt groep “{group}” aangemaakt"),
            (Phone::IphoneDutch, _) => format!("{name} heeft groep “{group}” aangemaakt"),
            (Phone::AndroidEnglish, _) => format!("{name} created group \"{group}\""),
        };
        self.push(t, &format!("\u{200E}{body}"));
    }

    pub fn added(&mut self, t: LocalDateTime, by: &Who, who: &[Who]) -> u32 {
        let line = self.lines + 1;
        let list = self.list(who);
        let body = match (self.phone.dutch(), by) {
            (true, Who::Exporter) => format!("U hebt {list} toegevoegd"),
            (true, by) => format!("{} heeft {list} toegevoegd", self.name(by, true)),
            (false, by) => format!("{} added {list}", self.name(by, true)),
        };
        self.push(t, &format!("\u{200E}{body}"));
        line
    }

    pub fn removed(&mut self, t: LocalDateTime, by: &Who, who: &Who) -> u32 {
        let line = self.lines + 1;
        let target = self.name(who, false);
        let body = match (self.phone.dutch(), by) {
            (true, Who::Exporter) => format!("U hebt {target} verwijderd"),
            (true, by) => format!("{} heeft {target} verwijderd", self.name(by, true)),
            (false, by) => format!("{} removed {target}", self.name(by, true)),
        };
        self.push(t, &format!("\u{200E}{body}"));
        line
    }

    pub fn left(&mut self, t: LocalDateTime, who: &Who) {
        let name = self.name(who, true);
        let body = if self.phone.dutch() { format!("{name} heeft de groep verlaten") } else { format!("{name} left") };
        self.push(t, &format!("\u{200E}{body}"));
    }

    pub fn renamed(&mut self, t: LocalDateTime, by: &Who, to: &str) {
        let name = self.name(by, true);
        let body = if self.phone.dutch() {
            format!("{name} heeft het onderwerp gewijzigd naar “{to}”")
        } else {
            format!("{name} changed the subject to “{to}”")
        };
        self.push(t, &format!("\u{200E}{body}"));
    }
}
