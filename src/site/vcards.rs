//! The vCard of every contact, linked from the contact page: vCard 3.0,
//! UTF-8, CRLF line ends folded at 75 octets.

use crate::content::{Contact, Project};
use crate::output::Artifact;

/// A vCard for every contact, linked from the contact page.
pub fn vcards(project: &Project) -> Vec<Artifact> {
    project
        .contacts
        .values()
        .map(|c| Artifact::new(format!("contacts/{}.vcf", c.id), vcard(c)))
        .collect()
}

/// Escapes a vCard 3.0 text value.
fn vtext(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 2425), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// A vCard 3.0 for a contact, UTF-8, CRLF line ends.
fn vcard(c: &Contact) -> String {
    let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:3.0".to_string()];
    let mut words: Vec<&str> = c.name.split_whitespace().collect();
    let family = words.pop().unwrap_or("");
    lines.push(format!(
        "N:{};{};;;",
        vtext(family),
        vtext(&words.join(" "))
    ));
    lines.push(format!("FN:{}", vtext(&c.name)));
    if !c.organization.is_empty() {
        lines.push(format!("ORG:{}", vtext(&c.organization)));
    }
    if !c.title.is_empty() {
        lines.push(format!("TITLE:{}", vtext(&c.title)));
    }
    for (i, p) in c.phones.iter().enumerate() {
        let label = p.label.as_deref().unwrap_or("").to_ascii_lowercase();
        let kind = if label.contains("office") || label.contains("work") {
            "WORK,VOICE"
        } else {
            "CELL,VOICE"
        };
        let pref = if i == 0 { ",PREF" } else { "" };
        lines.push(format!("TEL;TYPE={kind}{pref}:{}", p.e164));
    }
    if let Some(e) = &c.email {
        lines.push(format!("EMAIL;TYPE=INTERNET,PREF:{}", vtext(e)));
    }
    if let Some(w) = &c.website {
        lines.push(format!("URL:{}", w.0));
    }
    if let Some(a) = &c.address {
        lines.push(format!("ADR;TYPE=WORK:;;{};;;;", vtext(a)));
    }
    let whatsapp: Vec<String> = c
        .phones
        .iter()
        .filter(|p| p.whatsapp)
        .map(|p| p.international.clone())
        .collect();
    let mut note = Vec::new();
    if !whatsapp.is_empty() {
        note.push(format!("WhatsApp: {}", whatsapp.join(", ")));
    }
    if !c.languages.is_empty() {
        note.push(format!("Languages: {}", c.languages.join(", ")));
    }
    if !note.is_empty() {
        lines.push(format!("NOTE:{}", vtext(&note.join(". "))));
    }
    lines.push("END:VCARD".to_string());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcard_lines_fold_at_75_octets_with_crlf() {
        let long = "x".repeat(200);
        let folded = fold(&format!("NOTE:{long}"));
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{}", line.len());
        }
        assert!(folded.ends_with("\r\n"));
    }

    #[test]
    fn vcard_escapes_text() {
        assert_eq!(vtext("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
