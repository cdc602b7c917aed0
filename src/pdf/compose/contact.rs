//! The author's contact card: name, role, phone numbers with WhatsApp and
//! e-mail links, and a QR code for the first WhatsApp number.

use crate::content::Contact;
use crate::error::Error;
use crate::pdf::frame::{Item, Rgb, Tag};
use crate::pdf::layout::{single_line, FixedBox, Span};

use super::Composer;

impl Composer<'_> {
    /// The card: its text tagged `card`, its QR code the figure `qr`.
    pub(super) fn contact_card(
        &self,
        c: &Contact,
        card: &Tag,
        qr_tag: &Tag,
    ) -> Result<FixedBox, Error> {
        let s = &self.style;
        let f = self.fonts;
        let fs = &f.set;
        let w = s.page.measure();
        let pad = 16.0;
        let mut items = Vec::new();
        let mut y = pad;
        // Across the card, as `Composer::mx` across the measure: a
        // right-to-left card is the mirror image of a left-to-right one.
        let bx = |x: f32, width: f32| if self.rtl { w - x - width } else { x };
        // QR code at the end (right, or left in a right-to-left memo), for
        // the first WhatsApp number (else phone). Moved whole, never
        // mirrored: its modules must read.
        let qr_target = c
            .phones
            .iter()
            .find(|p| p.whatsapp)
            .map(|p| format!("https://wa.me/{}", p.digits()))
            .or_else(|| c.phones.first().map(|p| format!("tel:{}", p.e164)));
        let mut qr_w = 0.0;
        let mut qr_items = Vec::new();
        if let Some(target) = &qr_target {
            let (qi, side) = qr(target, 62.0).map_err(|e| Error::in_file(&c.path, e))?;
            qr_w = side;
            let qx = bx(w - pad - side, side);
            for mut it in qi {
                if let Item::Rect { x, y: ry, .. } = &mut it {
                    *x += qx;
                    *ry += pad;
                }
                qr_items.push(it);
            }
        }
        let text_w = w - 2.0 * pad - qr_w - 12.0;
        let x = bx(pad, text_w);
        let align = self.start();
        let line = |items: &mut Vec<Item>,
                    spans: Vec<Span>,
                    y: &mut f32,
                    lead: f32|
         -> Result<(), Error> {
            // Nastaliq reaches further above and below its baseline than
            // the Latin leading allows for: such a line takes what its
            // glyphs need, so lines of the card never touch.
            let laid = single_line(fs, &spans).map_err(|e| self.err(e))?;
            let (above, below) = match laid.ink {
                Some((a, d)) => ((lead * 0.8).max(a), (lead * 0.2).max(d)),
                None => (lead * 0.8, lead * 0.2),
            };
            laid.place_aligned(x, *y + above, text_w, align, items);
            *y += above + below;
            Ok(())
        };
        let (name, title, organization) = self.contact_words(c);
        let tr = crate::content::translated(&c.translations, &self.brief.lang);
        line(
            &mut items,
            vec![self.span(name, f.serif_bold, 14.0, s.primary)],
            &mut y,
            19.0,
        )?;
        let mut role = title;
        if !organization.is_empty() {
            if !role.is_empty() {
                role.push_str(&format!("{} ", self.comma()));
            }
            role.push_str(&organization);
        }
        if !role.is_empty() {
            line(
                &mut items,
                vec![self.span(role, f.sans, 9.5, s.muted)],
                &mut y,
                15.0,
            )?;
        }
        y += 6.0;
        let size = 9.5;
        for (i, p) in c.phones.iter().enumerate() {
            let label = tr
                .and_then(|t| t.phone_labels.as_ref())
                .and_then(|l| l.get(i))
                .or(p.label.as_ref())
                .map_or_else(|| self.t("phone").to_string(), String::clone);
            let mut spans = vec![
                self.span(format!("{label}: "), f.sans_bold, size, s.text),
                self.span(p.international.clone(), f.sans, size, s.primary)
                    .with_link(format!("tel:{}", p.e164)),
            ];
            if p.whatsapp {
                spans.push(self.span("   ", f.sans, size, s.text));
                spans.push(
                    self.span(self.t("whatsapp"), f.sans_bold, size, Rgb(0.08, 0.45, 0.25))
                        .with_link(format!("https://wa.me/{}", p.digits())),
                );
            }
            line(&mut items, spans, &mut y, 15.0)?;
        }
        if let Some(e) = &c.email {
            line(
                &mut items,
                vec![
                    self.span(format!("{}: ", self.t("email")), f.sans_bold, size, s.text),
                    self.span(e.clone(), f.sans, size, s.primary)
                        .with_link(format!("mailto:{e}")),
                ],
                &mut y,
                15.0,
            )?;
        }
        if let Some(wsite) = &c.website {
            line(
                &mut items,
                vec![
                    self.span(format!("{}: ", self.t("web")), f.sans_bold, size, s.text),
                    self.span(wsite.0.clone(), f.sans, size, s.primary)
                        .with_link(wsite.0.clone()),
                ],
                &mut y,
                15.0,
            )?;
        }
        if let Some(address) = c.address.as_deref().filter(|a| !a.trim().is_empty()) {
            let one_line = address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            line(
                &mut items,
                vec![
                    self.span(
                        format!("{}: ", self.t("address")),
                        f.sans_bold,
                        size,
                        s.text,
                    ),
                    self.span(one_line, f.sans, size, s.text),
                ],
                &mut y,
                15.0,
            )?;
        }
        if !c.languages.is_empty() {
            line(
                &mut items,
                vec![self.span(
                    format!(
                        "{}: {}",
                        self.t("languages"),
                        tr.and_then(|t| t.languages.as_ref())
                            .unwrap_or(&c.languages)
                            .join(&format!("{} ", self.comma()))
                    ),
                    f.sans,
                    size - 0.5,
                    s.muted,
                )],
                &mut y,
                15.0,
            )?;
        }
        if qr_target.is_some() {
            line(
                &mut items,
                vec![self.span(
                    self.t("scan_to_whatsapp"),
                    f.sans_italic,
                    size - 1.0,
                    s.muted,
                )],
                &mut y,
                14.0,
            )?;
        }
        let h = (y + pad).max(qr_w + 2.0 * pad);
        let mut all = vec![
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w,
                h,
                fill: Some(Rgb::WHITE),
                stroke: Some((s.rule, 0.8)),
            },
            Item::Rect {
                x: bx(0.0, 3.0),
                y: 0.0,
                w: 3.0,
                h,
                fill: Some(s.accent),
                stroke: None,
            },
        ];
        all.push(Item::Tag(card.clone()));
        all.extend(items);
        if let (Some(target), tag @ Tag::Element(_)) = (&qr_target, qr_tag) {
            all.push(Item::Tag(tag.with_node(|n| crate::pdf::frame::Node {
                alt: Some(format!("QR code for {target}").into()),
                ..n.clone()
            })));
        }
        all.extend(qr_items);
        all.push(Item::Tag(card.clone()));
        Ok(FixedBox {
            width: w,
            height: h,
            items: all,
            space_before: 4.0,
            space_after: 14.0,
        })
    }
}

/// A QR code as filled squares with a 4-module quiet zone, `side` points
/// wide in all (quiet zone included); returns items at (0, 0) and the side.
pub fn qr(data: &str, symbol: f32) -> Result<(Vec<Item>, f32), String> {
    let (n, dark) = &*modules(data)?;
    let n = *n;
    let module = symbol / n as f32;
    let quiet = 4.0 * module;
    let side = symbol + 2.0 * quiet;
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        w: side,
        h: side,
        fill: Some(Rgb::WHITE),
        stroke: None,
    }];
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if dark[row * n + col] {
                let start = col;
                while col < n && dark[row * n + col] {
                    col += 1;
                }
                items.push(Item::Rect {
                    x: quiet + start as f32 * module,
                    y: quiet + row as f32 * module,
                    w: (col - start) as f32 * module,
                    h: module,
                    fill: Some(Rgb::BLACK),
                    stroke: None,
                });
            } else {
                col += 1;
            }
        }
    }
    Ok((items, side))
}

/// The modules of the QR code of `data` (its width, and which are dark),
/// made once a process: every memo of a build carries the same contact's
/// code, and choosing a code's mask is most of the work of setting a
/// contact card.
fn modules(data: &str) -> Result<std::sync::Arc<(usize, Vec<bool>)>, String> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Made = HashMap<String, Arc<(usize, Vec<bool>)>>;
    static MADE: OnceLock<Mutex<Made>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    if let Some(m) = made.lock().ok().and_then(|m| m.get(data).cloned()) {
        return Ok(m);
    }
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("cannot make a QR code: {e}"))?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    let m = Arc::new((code.width(), dark));
    if let Ok(mut made) = made.lock() {
        // A few contacts a project; `serve` may see many over a session.
        if made.len() >= 64 {
            made.clear();
        }
        made.insert(data.to_string(), m.clone());
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::compose::MM;

    #[test]
    fn qr_has_a_four_module_quiet_zone_and_is_at_least_15mm() {
        let (items, side) = qr("https://wa.me/923331717170", 62.0).unwrap();
        assert!(side >= 15.0 * MM, "{side}");
        // Made once, the same every time.
        assert_eq!(qr("https://wa.me/923331717170", 62.0).unwrap().0, items);
        let n = qrcode::QrCode::new(b"https://wa.me/923331717170")
            .map(|c| c.width())
            .unwrap_or(25);
        let module = 62.0 / n as f32;
        for it in &items[1..] {
            if let Item::Rect { x, y, w, h, .. } = it {
                assert!(*x >= 4.0 * module - 0.01 && *y >= 4.0 * module - 0.01);
                assert!(x + w <= side - 4.0 * module + 0.01 && y + h <= side - 4.0 * module + 0.01);
            }
        }
    }
}
