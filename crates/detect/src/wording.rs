//! Small helpers for the Dutch and English sentences of explanations.

use erbij_chat::LocalDateTime;

/// `12-09-2025 om 14:05`
pub fn when_nl(at: LocalDateTime) -> String {
    format!("{:02}-{:02}-{} om {:02}:{:02}", at.day(), at.month(), at.year(), at.hour(), at.minute())
}

/// `12 Sep 2025 at 14:05`
pub fn when_en(at: LocalDateTime) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.get(usize::from(at.month()).saturating_sub(1)).copied().unwrap_or("?");
    format!("{} {month} {} at {:02}:{:02}", at.day(), at.year(), at.hour(), at.minute())
}

/// "Jan", "Jan en Sanne", "Jan, Sanne en Daan"
pub fn list_nl(names: &[String]) -> String {
    list(names, "en")
}

pub fn list_en(names: &[String]) -> String {
    list(names, "and")
}

fn list(names: &[String], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

pub fn group_nl(name: Option<&str>) -> String {
    name.map_or_else(|| "de groep".to_string(), |n| format!("de groep ‘{n}’"))
}

pub fn group_en(name: Option<&str>) -> String {
    name.map_or_else(|| "the group".to_string(), |n| format!("the group ‘{n}’"))
}

pub fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// A p-value as a teacher can read it: "kleiner dan 1 op 1000" rather than 3.2e-7.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0,001".to_string()
    } else {
        format!("{p:.3}").replace('.', ",")
    }
}
