//! What the site and the memos both say, worded once: the brand name, "Name,
//! Organisation", whether a deal binds, money and value ranges, places and
//! dates for readers.

use crate::config::SiteConfig;
use crate::content::{Location, Status, Value};
use crate::values::Date;

/// The organisation's name: `brand.name`, or the site title when unset.
pub fn brand(site: &SiteConfig) -> &str {
    if site.brand.name.is_empty() {
        &site.title
    } else {
        &site.brand.name
    }
}

/// "Jane Doe, Acme Capital", or only the name when there is no organisation.
pub fn name_org(name: &str, organisation: &str) -> String {
    if organisation.is_empty() {
        name.to_string()
    } else {
        format!("{name}, {organisation}")
    }
}

/// "binding" or "not binding".
pub fn binding(status: Status) -> &'static str {
    if status.binding() {
        "binding"
    } else {
        "not binding"
    }
}

/// "Memorandum of understanding — not binding".
pub fn status(status: Status) -> String {
    format!("{} — {}", status.label(), binding(status))
}

/// "US$ 500 million", "US$ 100–300 million".
pub fn value(v: &Value) -> String {
    let sym = v.currency.symbol();
    match (v.amount, v.min, v.max) {
        (Some(a), _, _) => format!("{sym} {}", money(a)),
        (None, Some(lo), Some(hi)) => {
            let (unit, div) = money_unit(hi);
            if div > 1.0 && lo >= div {
                format!("{sym} {}–{} {unit}", trim_num(lo / div), trim_num(hi / div))
            } else {
                format!("{sym} {}–{}", money(lo), money(hi))
            }
        }
        _ => String::new(),
    }
}

/// The value with its qualifier: "US$ 500 million (reported)".
pub fn value_with_note(v: &Value) -> String {
    let mut t = value(v);
    if let Some(n) = &v.note {
        t.push_str(&format!(" ({n})"));
    }
    t
}

fn money_unit(v: f64) -> (&'static str, f64) {
    if v >= 1e9 {
        ("billion", 1e9)
    } else if v >= 1e6 {
        ("million", 1e6)
    } else {
        ("", 1.0)
    }
}

fn money(v: f64) -> String {
    let (unit, div) = money_unit(v);
    if div > 1.0 {
        format!("{} {unit}", trim_num(v / div))
    } else {
        group_thousands(v)
    }
}

fn trim_num(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// 38632 → "38,632".
pub fn group_thousands(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// "Gilgit-Baltistan, Pakistan", or the country alone.
pub fn location(l: &Location) -> String {
    if l.region.is_empty() {
        l.country.name().to_string()
    } else {
        format!("{}, {}", l.region, l.country.name())
    }
}

/// A date for readers: `8 September 2025`.
pub fn date(d: Date) -> String {
    format!("{} {} {}", d.0.day(), d.0.month(), d.0.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Currency;

    fn usd(amount: Option<f64>, min: Option<f64>, max: Option<f64>) -> Value {
        Value {
            amount,
            min,
            max,
            currency: Currency("USD".into()),
            note: None,
        }
    }

    #[test]
    fn values_and_ranges_read_naturally() {
        assert_eq!(value(&usd(Some(5e8), None, None)), "US$ 500 million");
        assert_eq!(
            value(&usd(None, Some(1e8), Some(3e8))),
            "US$ 100–300 million"
        );
        assert_eq!(value(&usd(Some(38632.0), None, None)), "US$ 38,632");
        assert_eq!(group_thousands(-1234567.0), "-1,234,567");
    }

    #[test]
    fn binding_is_worded_once() {
        assert_eq!(binding(Status::Mou), "not binding");
        assert_eq!(binding(Status::Definitive), "binding");
        assert_eq!(
            status(Status::Mou),
            "Memorandum of understanding — not binding"
        );
    }

    #[test]
    fn names_and_dates() {
        assert_eq!(name_org("Jane Doe", ""), "Jane Doe");
        assert_eq!(name_org("Jane Doe", "Acme"), "Jane Doe, Acme");
        assert_eq!(date(Date::parse("2025-09-08").unwrap()), "8 September 2025");
    }
}
