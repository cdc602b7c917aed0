//! What the site and the memos both say, worded once: the brand name, "Name,
//! Organisation", whether a deal binds, money and value ranges, places and
//! dates for readers.

use crate::config::SiteConfig;
use crate::content::{Location, Status, Value};
use crate::i18n::Labels;
use crate::values::{in_cents, Date};

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
pub fn binding(status: Status, l: &Labels) -> String {
    l.get(if status.binding() {
        "binding"
    } else {
        "not_binding"
    })
    .to_string()
}

/// "Memorandum of understanding".
pub fn status_label(status: Status, l: &Labels) -> String {
    l.get(&format!("status_{}", status.key())).to_string()
}

/// "MoU".
pub fn status_short(status: Status, l: &Labels) -> String {
    l.get(&format!("status_short_{}", status.key())).to_string()
}

/// "Memorandum of understanding — not binding".
pub fn status(status: Status, l: &Labels) -> String {
    l.fmt(
        "status_line",
        &[
            ("status", &status_label(status, l)),
            ("binding", &binding(status, l)),
        ],
    )
}

/// "US$ 500 million", "US$ 100–300 million".
pub fn value(v: &Value, l: &Labels) -> String {
    let sym = v.currency.symbol();
    let amount = match (v.amount, v.min, v.max) {
        (Some(a), _, _) => money(a, l),
        (None, Some(lo), Some(hi)) => {
            let (unit, div) = money_unit(hi, l);
            if div > 1.0 && lo >= div && in_cents(lo / div) {
                format!("{}–{} {unit}", trim_num(lo / div), trim_num(hi / div))
            } else {
                format!("{}–{}", money(lo, l), money(hi, l))
            }
        }
        _ => return String::new(),
    };
    l.fmt("money", &[("symbol", sym), ("amount", &amount)])
}

/// The value with its qualifier: "US$ 500 million (reported)".
pub fn value_with_note(v: &Value, note: Option<&str>, l: &Labels) -> String {
    let mut t = value(v, l);
    if let Some(n) = note {
        t.push_str(&format!(" ({n})"));
    }
    t
}

/// The largest unit (billion, million) in which `v` is written exactly with
/// two decimals at most: 1,250,000,000 is "1.25 billion", 1,234,000,000
/// "1,234 million" and 1,234,567 is written out, never rounded to a figure
/// that was not announced.
fn money_unit(v: f64, l: &Labels) -> (&str, f64) {
    for (div, unit) in [(1e9, "billion"), (1e6, "million")] {
        if v >= div && in_cents(v / div) {
            return (l.get(unit), div);
        }
    }
    ("", 1.0)
}

fn money(v: f64, l: &Labels) -> String {
    let (unit, div) = money_unit(v, l);
    if div > 1.0 {
        format!("{} {unit}", trim_num(v / div))
    } else {
        trim_num(v)
    }
}

/// `v` to two decimals, without trailing zeros, its whole part grouped
/// by thousands: 1.25 → "1.25" (a headline figure as announced, not
/// "1.2"), 1.5 → "1.5", 2 → "2", 1500 → "1,500".
fn trim_num(v: f64) -> String {
    let cents = (v * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let mut out = group_thousands(whole);
    let fraction = (cents - whole * 100.0).abs() as u32;
    if fraction != 0 {
        let digits = format!("{fraction:02}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out
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

/// A date for readers: `8 September 2025`, in the labels' language.
pub fn date(d: Date, l: &Labels) -> String {
    l.date(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Currency;

    fn en() -> Labels {
        crate::theme::Theme::embedded()
            .unwrap()
            .labels("en")
            .clone()
    }

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
        let l = en();
        assert_eq!(value(&usd(Some(5e8), None, None), &l), "US$ 500 million");
        assert_eq!(
            value(&usd(None, Some(1e8), Some(3e8)), &l),
            "US$ 100–300 million"
        );
        assert_eq!(value(&usd(Some(38632.0), None, None), &l), "US$ 38,632");
        assert_eq!(group_thousands(-1234567.0), "-1,234,567");
        // Headline figures as announced, never rounded to another one.
        for (amount, shown) in [
            (1.25e9, "US$ 1.25 billion"),
            (1.5e9, "US$ 1.5 billion"),
            (2.05e8, "US$ 205 million"),
            (12_500.5, "US$ 12,500.5"),
            (999.99, "US$ 999.99"),
            (0.25, "US$ 0.25"),
            (1e15, "US$ 1,000,000 billion"),
            (1.234e9, "US$ 1,234 million"),
            (1_234_567.0, "US$ 1,234,567"),
            (1_234_567.89, "US$ 1,234,567.89"),
            (0.29, "US$ 0.29"),
        ] {
            assert_eq!(value(&usd(Some(amount), None, None), &l), shown);
        }
        assert_eq!(
            value(&usd(None, Some(1.25e9), Some(2.5e9)), &l),
            "US$ 1.25–2.5 billion"
        );
        assert_eq!(
            value(&usd(None, Some(1_500_000.0), Some(2e6)), &l),
            "US$ 1.5–2 million"
        );
        assert_eq!(
            value(&usd(None, Some(1_234_567.0), Some(2e6)), &l),
            "US$ 1,234,567–2 million"
        );
        assert!(in_cents(0.29) && in_cents(123_456_789_012.34) && in_cents(1e15));
        assert!(!in_cents(999_999.995) && !in_cents(0.001));
    }

    #[test]
    fn binding_is_worded_once() {
        let l = en();
        assert_eq!(binding(Status::Mou, &l), "not binding");
        assert_eq!(binding(Status::Definitive, &l), "binding");
        assert_eq!(
            status(Status::Mou, &l),
            "Memorandum of understanding — not binding"
        );
    }

    #[test]
    fn names_and_dates() {
        assert_eq!(name_org("Jane Doe", ""), "Jane Doe");
        assert_eq!(name_org("Jane Doe", "Acme"), "Jane Doe, Acme");
        assert_eq!(
            date(Date::parse("2025-09-08").unwrap(), &en()),
            "8 September 2025"
        );
        let ur = crate::theme::Theme::embedded()
            .unwrap()
            .labels("ur")
            .clone();
        assert_eq!(
            date(Date::parse("2025-09-08").unwrap(), &ur),
            "8 ستمبر 2025"
        );
    }
}
