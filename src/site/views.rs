//! View structs handed to templates: flat, display-ready values built from
//! the model, so templates stay stable while the model changes.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::{translated, Brief, Contact, Deal, Project};
use crate::i18n::Labels;
use crate::markdown::TocEntry;
use crate::present;

/// The language of the pages being made.
#[derive(Debug, Clone)]
pub struct Lang<'a> {
    /// The page's `lang`: `language` of site.yaml for the main language,
    /// else the entry of `languages` (`ur`).
    pub tag: String,
    /// What its pages' paths start with: nothing, or `ur/`.
    pub prefix: String,
    /// Its labels.
    pub labels: &'a Labels,
    /// Whether it is the site's main language.
    pub main: bool,
}

impl Lang<'_> {
    /// The site path of `p` in this language (`briefs/` → `ur/briefs/`).
    pub fn path(&self, p: &str) -> String {
        format!("{}{}", self.prefix, p)
    }

    /// A fixed label.
    pub fn t<'s>(&'s self, key: &'s str) -> &'s str {
        self.labels.get(key)
    }

    /// A label with its `{name}` placeholders filled in.
    pub fn tf(&self, key: &str, values: &[(&str, &str)]) -> String {
        self.labels.fmt(key, values)
    }

    /// The language a translation map is looked up by (`None` for the
    /// main language: its words are the ones written).
    fn other(&self) -> Option<&str> {
        (!self.main).then_some(self.tag.as_str())
    }
}

/// URLs of the site: absolute (`https://host/repo/x/`) and root-relative (`/repo/x/`).
#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://host/repo/`, always ending in `/`.
    pub base: String,
    /// `/repo/`, always starting and ending in `/`.
    pub root: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Urls {
        let base = if base_url.ends_with('/') {
            base_url.to_string()
        } else {
            format!("{base_url}/")
        };
        let after_scheme = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
        let root = after_scheme
            .find('/')
            .map_or("/".to_string(), |i| after_scheme[i..].to_string());
        Urls { base, root }
    }

    /// Root-relative URL of a site path (`briefs/x/` → `/repo/briefs/x/`).
    pub fn path(&self, p: &str) -> String {
        format!("{}{}", self.root, p.trim_start_matches('/'))
    }

    /// Absolute URL of a site path.
    pub fn abs(&self, p: &str) -> String {
        format!("{}{}", self.base, p.trim_start_matches('/'))
    }

    /// The site path (no leading `/`) of a root-relative URL of this site,
    /// with its query and fragment; `None` for any other URL.
    fn site_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        if url.starts_with("//") {
            return None;
        }
        url.strip_prefix(self.root.as_str())
            .or_else(|| (url == self.root.trim_end_matches('/')).then_some(""))
    }

    /// The page at site file `file` (`briefs/x/index.html`) with every
    /// root-relative `href` and `src` of this site made relative to it, and
    /// folder URLs ending in `index.html`, so the page works opened from
    /// disk. Absolute URLs (canonical, OpenGraph, feed) stay as they are.
    pub fn relative_html(&self, html: &str, file: &str) -> String {
        let up = "../".repeat(file.matches('/').count());
        rewrite_urls(html, |url| {
            let path = self.site_path(url)?;
            let split = path.find(['?', '#']).unwrap_or(path.len());
            let (path, rest) = path.split_at(split);
            let index = if path.is_empty() || path.ends_with('/') {
                "index.html"
            } else {
                ""
            };
            Some(format!("{up}{path}{index}{rest}"))
        })
    }

    /// HTML with every root-relative `href` and `src` of this site made
    /// absolute, and with a `page` (a site path) fragments (`#fn-1`) too,
    /// pointing into that page: for the feed, and for the 404 page, which
    /// is served at any address.
    pub fn absolute_html(&self, html: &str, page: Option<&str>) -> String {
        rewrite_urls(html, |url| match page {
            Some(page) if url.starts_with('#') => Some(format!("{}{url}", self.abs(page))),
            _ => self.site_path(url).map(|p| self.abs(p)),
        })
    }
}

/// Rewrites the values of `href="…"` and `src="…"` attributes (as the
/// templates and the Markdown renderer write them: double-quoted, values
/// escaped, so content text never looks like one) where `f` returns a new
/// value.
fn rewrite_urls(html: &str, f: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    loop {
        let next = [" href=\"", " src=\""]
            .iter()
            .filter_map(|needle| rest.find(needle).map(|i| i + needle.len()))
            .min();
        let Some(start) = next else {
            break;
        };
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push_str(&rest[..start]);
        let value = &rest[start..start + len];
        match f(value) {
            Some(new) => out.push_str(&new),
            None => out.push_str(value),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A version of a page in a language: the language switch and the
/// `<link rel="alternate" hreflang>` of the page's head.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// `en-US`, `ur`, or `x-default`.
    pub hreflang: String,
    /// The language's name in itself (`English`, `اردو`).
    pub name: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub abs: String,
    /// `rtl` or `ltr`.
    pub dir: String,
    /// The page itself.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub value: String,
    pub label: String,
    pub source: String,
    pub source_url: Option<String>,
    pub as_of: String,
}

/// Site-wide values, the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub tagline: String,
    pub description: String,
    pub base_url: String,
    pub root: String,
    /// The home page of the pages' language (`root`, or `root` + `ur/`).
    pub home: String,
    pub language: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// Stylesheets only pages in this language need (the web font of a
    /// script the main stylesheet does not draw).
    pub lang_css: Vec<String>,
    pub brand: String,
    pub css_url: String,
    pub favicon_url: String,
    pub feed_url: String,
    pub nav: Vec<Link>,
    pub footer_links: Vec<Link>,
    pub legal: Vec<Notice>,
    pub contact: Option<ContactView>,
    pub year: i32,
    pub primary: String,
    pub accent: String,
    /// URL of the logo for the masthead (or empty).
    pub logo_url: String,
    /// Absolute URL of the picture shown when a page is shared (or empty).
    pub share_image: String,
    pub share_image_alt: String,
    /// The text of the deals page (`deals_intro` in site.yaml).
    pub deals_intro: String,
    /// A project's own values (`extra:` in site.yaml).
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// Root-relative URL of the tags page (empty when no brief has tags).
    pub tags_url: String,
}

impl SiteView {
    pub fn new(
        project: &Project,
        urls: &Urls,
        css_url: String,
        favicon_url: String,
        lang: &Lang,
    ) -> SiteView {
        let site: &SiteConfig = &project.site;
        let own = lang.other().and_then(|l| site.text(l));
        let word = |mine: Option<&String>, base: &String| mine.unwrap_or(base).clone();
        let mut nav = vec![
            Link {
                title: lang.t("briefs").into(),
                url: urls.path(&lang.path("briefs/")),
            },
            Link {
                title: lang.t("deals").into(),
                url: urls.path(&lang.path("deals/")),
            },
        ];
        let mut footer_links = Vec::new();
        // Plain pages are in the main language; their links carry the
        // title given for this language, if any.
        for p in &project.pages {
            let title = lang
                .other()
                .and_then(|l| translated(&p.front.translations, l))
                .and_then(|t| t.title.clone())
                .unwrap_or_else(|| p.front.title.clone());
            let link = Link {
                title,
                url: urls.path(&format!("{}/", p.slug)),
            };
            if p.slug == "about" {
                // The nav stays one short line on a phone.
                nav.push(Link {
                    title: lang.t("about").into(),
                    url: link.url.clone(),
                });
            }
            footer_links.push(link);
        }
        nav.push(Link {
            title: lang.t("contact").into(),
            url: urls.path(&lang.path("contact/")),
        });
        footer_links.push(Link {
            title: lang.t("atom_feed").into(),
            url: urls.path("atom.xml"),
        });
        SiteView {
            title: word(own.and_then(|o| o.title.as_ref()), &site.title),
            tagline: word(own.and_then(|o| o.tagline.as_ref()), &site.tagline),
            description: word(own.and_then(|o| o.description.as_ref()), &site.description),
            base_url: urls.base.clone(),
            root: urls.root.clone(),
            home: urls.path(&lang.prefix),
            language: lang.tag.clone(),
            dir: crate::i18n::dir(&lang.tag).into(),
            lang_css: Vec::new(),
            brand: own
                .and_then(|o| o.brand.clone())
                .unwrap_or_else(|| present::brand(site).to_string()),
            css_url,
            favicon_url,
            // Absolute: feed readers are handed this address as it is.
            feed_url: urls.abs("atom.xml"),
            nav,
            footer_links,
            legal: site
                .legal
                .notices(lang.labels, own.and_then(|o| o.legal.as_ref()))
                .into_iter()
                .map(|(h, t)| Notice {
                    heading: h.to_string(),
                    text: t.trim().to_string(),
                })
                .collect(),
            contact: project
                .default_contact()
                .map(|c| ContactView::new(c, urls, lang)),
            year: project.updated.0.year(),
            primary: String::new(),
            accent: String::new(),
            logo_url: String::new(),
            share_image: String::new(),
            share_image_alt: String::new(),
            deals_intro: word(own.and_then(|o| o.deals_intro.as_ref()), &site.deals_intro),
            extra: site.extra.clone(),
            tags_url: if project.public_briefs().any(|b| !b.front.tags.is_empty()) {
                urls.path("tags/")
            } else {
                String::new()
            },
        }
    }
}

/// What every page tells the `<head>`.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub og_type: String,
    pub noindex: bool,
    /// JSON-LD, already safe to place inside `<script>`.
    pub json_ld: String,
    /// Which nav entry is current (its URL).
    pub section: String,
    /// The previous and next page of a paginated list (`rel=prev/next`).
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The page in other languages, itself included, and `x-default`
    /// (none on a site of one language, or a page with no translation).
    pub alternates: Vec<Alternate>,
    /// The language switch: the page, or the home page, in each language.
    pub languages: Vec<Alternate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    pub label: String,
    pub display: String,
    pub e164: String,
    pub tel_url: String,
    pub whatsapp_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub id: String,
    pub name: String,
    pub title: String,
    pub organization: String,
    pub phones: Vec<PhoneView>,
    pub email: Option<String>,
    pub mailto: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub languages: Vec<String>,
    pub vcard_url: String,
    /// The first WhatsApp number's link, for a prominent button.
    pub whatsapp_url: Option<String>,
    pub initials: String,
}

impl ContactView {
    pub fn new(c: &Contact, urls: &Urls, lang: &Lang) -> ContactView {
        let tr = lang.other().and_then(|l| translated(&c.translations, l));
        let phones: Vec<PhoneView> = c
            .phones
            .iter()
            .enumerate()
            .map(|(i, p)| PhoneView {
                label: tr
                    .and_then(|t| t.phone_labels.as_ref())
                    .and_then(|l| l.get(i))
                    .or(p.label.as_ref())
                    .map_or_else(|| lang.t("phone").to_string(), String::clone),
                display: p.international.clone(),
                e164: p.e164.clone(),
                tel_url: format!("tel:{}", p.e164),
                whatsapp_url: p.whatsapp.then(|| format!("https://wa.me/{}", p.digits())),
            })
            .collect();
        ContactView {
            id: c.id.clone(),
            name: tr
                .and_then(|t| t.name.clone())
                .unwrap_or_else(|| c.name.clone()),
            title: tr
                .and_then(|t| t.title.clone())
                .unwrap_or_else(|| c.title.clone()),
            organization: tr
                .and_then(|t| t.organization.clone())
                .unwrap_or_else(|| c.organization.clone()),
            whatsapp_url: phones.iter().find_map(|p| p.whatsapp_url.clone()),
            phones,
            email: c.email.clone(),
            mailto: c.email.as_ref().map(|e| format!("mailto:{e}")),
            website: c.website.as_ref().map(|u| u.0.clone()),
            address: c.address.clone(),
            languages: tr
                .and_then(|t| t.languages.clone())
                .unwrap_or_else(|| c.languages.clone()),
            vcard_url: urls.path(&format!("contacts/{}.vcf", c.id)),
            initials: c
                .name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .take(2)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyView {
    pub name: String,
    pub role: String,
    pub country: String,
    pub country_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: String,
    pub date: Option<String>,
    pub date_long: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DealView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: String,
    pub status_label: String,
    pub status_short: String,
    pub binding: bool,
    /// "binding" or "not binding".
    pub binding_label: String,
    /// "Memorandum of understanding — not binding".
    pub status_line: String,
    pub announced: Option<String>,
    pub announced_long: Option<String>,
    pub parties: Vec<PartyView>,
    pub minerals: Vec<String>,
    pub value: Option<String>,
    pub value_note: Option<String>,
    pub location: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub sources: Vec<SourceView>,
    pub notes: Option<String>,
    pub briefs: Vec<Link>,
}

impl DealView {
    /// The view of deal `d` in `lang`; `citing` are the public briefs (in
    /// `lang`) that cite it.
    pub fn new(d: &Deal, citing: &[&Brief], urls: &Urls, lang: &Lang) -> DealView {
        let l = lang.labels;
        let tr = lang
            .other()
            .and_then(|code| translated(&d.translations, code));
        let location = d.location.as_ref().map(|loc| {
            let mut loc = loc.clone();
            if let Some(r) = tr.and_then(|t| t.region.clone()) {
                loc.region = r;
            }
            present::location(&loc)
        });
        let briefs: Vec<Link> = citing
            .iter()
            .map(|b| Link {
                title: b.front.title.clone(),
                url: urls.path(&lang.path(&format!("briefs/{}/", b.slug))),
            })
            .collect();
        DealView {
            id: d.id.clone(),
            title: tr
                .and_then(|t| t.title.clone())
                .unwrap_or_else(|| d.title.clone()),
            url: urls.path(&lang.path(&format!("deals/{}/", d.id))),
            status: d.status.key().into(),
            status_label: present::status_label(d.status, l),
            status_short: present::status_short(d.status, l),
            binding: d.status.binding(),
            binding_label: present::binding(d.status, l),
            status_line: present::status(d.status, l),
            announced: d.announced.map(|a| a.iso()),
            announced_long: d.announced.map(|a| present::date(a, l)),
            parties: d
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| PartyView {
                    name: p.name.clone(),
                    role: tr
                        .and_then(|t| t.roles.as_ref())
                        .and_then(|r| r.get(i))
                        .unwrap_or(&p.role)
                        .clone(),
                    country: p.country.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
                    country_name: p
                        .country
                        .as_ref()
                        .map(|c| c.name().to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            minerals: tr
                .and_then(|t| t.minerals.clone())
                .unwrap_or_else(|| d.minerals.clone()),
            value: d.value.as_ref().map(|v| present::value(v, l)),
            value_note: d.value.as_ref().and_then(|v| {
                tr.and_then(|t| t.value_note.clone())
                    .or_else(|| v.note.clone())
            }),
            location,
            lat: d.location.as_ref().and_then(|l| l.lat),
            lon: d.location.as_ref().and_then(|l| l.lon),
            sources: d
                .sources
                .iter()
                .map(|s| SourceView {
                    title: s.title.clone(),
                    url: s.url.0.clone(),
                    date: s.date.map(|d| d.iso()),
                    date_long: s.date.map(|x| present::date(x, l)),
                })
                .collect(),
            notes: tr.and_then(|t| t.notes.clone()).or_else(|| d.notes.clone()),
            briefs,
        }
    }
}

/// Minutes to read `words` words (220 a minute), at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

/// A brief as a card (lists, home page). Teasers carry only title and summary.
#[derive(Debug, Clone, Serialize)]
pub struct BriefCard {
    pub title: String,
    pub summary: String,
    pub date: String,
    pub date_long: String,
    /// Empty for teasers: they have no page.
    pub url: String,
    pub minerals: Vec<String>,
    pub tags: Vec<String>,
    /// Each tag with the URL of its page.
    pub tag_links: Vec<Link>,
    pub reading_minutes: usize,
    /// "6 min read".
    pub reading: String,
    pub memo_url: Option<String>,
    pub teaser: bool,
    /// For a teaser: an e-mail asking for the brief, by name.
    pub request_mailto: Option<String>,
    /// For a teaser: a WhatsApp message asking for the brief, by name.
    pub request_whatsapp: Option<String>,
}

impl BriefCard {
    pub fn new(
        b: &Brief,
        project: &Project,
        urls: &Urls,
        words: usize,
        memo: bool,
        lang: &Lang,
    ) -> BriefCard {
        if b.front.confidential {
            // Whom to ask: the brief's author, else the site's contact.
            let contact = b
                .author
                .as_deref()
                .and_then(|id| project.contacts.get(id))
                .or_else(|| project.default_contact());
            let message = lang
                .labels
                .fmt("request_message", &[("title", &b.front.title)]);
            let enc = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            let request_mailto = contact.and_then(|c| c.email.as_ref()).map(|email| {
                format!(
                    "mailto:{email}?subject={}&body={}",
                    enc(&lang
                        .labels
                        .fmt("request_subject", &[("title", &b.front.title)])),
                    enc(&message)
                )
            });
            let request_whatsapp = contact
                .and_then(|c| c.phones.iter().find(|p| p.whatsapp))
                .map(|p| format!("https://wa.me/{}?text={}", p.digits(), enc(&message)));
            return BriefCard {
                request_mailto,
                request_whatsapp,
                title: b.front.title.clone(),
                summary: b.front.summary.clone(),
                date: String::new(),
                date_long: String::new(),
                url: String::new(),
                minerals: Vec::new(),
                tags: Vec::new(),
                tag_links: Vec::new(),
                reading_minutes: 0,
                reading: String::new(),
                memo_url: None,
                teaser: true,
            };
        }
        let minutes = reading_minutes(words);
        // Tag pages are in the main language only.
        let tags = if lang.main {
            b.front.tags.clone()
        } else {
            Vec::new()
        };
        BriefCard {
            title: b.front.title.clone(),
            summary: b.front.summary.clone(),
            date: b.front.date.iso(),
            date_long: present::date(b.front.date, lang.labels),
            url: urls.path(&lang.path(&format!("briefs/{}/", b.slug))),
            minerals: project.minerals_of(b),
            tag_links: tags
                .iter()
                .map(|t| Link {
                    title: t.clone(),
                    url: urls.path(&tag_path(t)),
                })
                .collect(),
            tags,
            reading_minutes: minutes,
            reading: lang.tf("min_read", &[("minutes", &minutes.to_string())]),
            memo_url: memo.then(|| urls.path(&memo_path(b))),
            teaser: false,
            request_mailto: None,
            request_whatsapp: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    pub card: BriefCard,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub deals: Vec<DealView>,
    pub author: Option<ContactView>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
}

/// The site path of a brief's memo: `memos/<slug>.pdf`, and for a
/// translation `memos/<slug>.<lang>.pdf`.
pub fn memo_path(b: &Brief) -> String {
    format!("memos/{}.pdf", memo_stem(b))
}

/// A memo's file name without `.pdf`: `<slug>` or `<slug>.<lang>`.
pub fn memo_stem(b: &Brief) -> String {
    match &b.translation {
        Some(l) => format!("{}.{l}", b.slug),
        None => b.slug.clone(),
    }
}

/// The site path of a tag's page: `tags/<slug>/`.
pub fn tag_path(tag: &str) -> String {
    format!("tags/{}/", crate::values::tag_slug(tag))
}

/// Where a page of a paginated list is and which pages are around it.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The pages to link: the first, the last and the two either side of
    /// this one (every page when there are few), in order. (`pages`, every
    /// page as a link, is there too, for templates written before; it is
    /// made once per list and shared by its pages.)
    pub window: Vec<PageLink>,
}

/// One page of a paginated list, as the pagination shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's number, as text.
    pub title: String,
    pub url: String,
    /// This is the page being shown.
    pub current: bool,
    /// Pages are left out between the one before and this one (an
    /// ellipsis goes here).
    pub gap_before: bool,
}

impl Paginator {
    /// The numbers of the pages to link from page `number` of `total`:
    /// every page up to nine, else the first, the last and the two either
    /// side of `number`. A list of 1,000 pages links 7 of them, not 1,000.
    pub fn window(number: usize, total: usize) -> Vec<usize> {
        if total <= 9 {
            return (1..=total).collect();
        }
        let lo = number.saturating_sub(2).max(1);
        let hi = (number + 2).min(total);
        let mut out = vec![1];
        out.extend((lo..=hi).filter(|&n| n != 1 && n != total));
        out.push(total);
        out
    }
}

/// A tag and its briefs, for the tags page.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub name: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub html: String,
}

#[cfg(test)]
mod tests {

    #[test]
    fn pagination_links_every_page_of_a_short_list_and_a_window_of_a_long_one() {
        assert_eq!(Paginator::window(1, 1), [1]);
        assert_eq!(Paginator::window(4, 9), (1..=9).collect::<Vec<_>>());
        assert_eq!(Paginator::window(1, 1000), [1, 2, 3, 1000]);
        assert_eq!(
            Paginator::window(500, 1000),
            [1, 498, 499, 500, 501, 502, 1000]
        );
        assert_eq!(Paginator::window(1000, 1000), [1, 998, 999, 1000]);
        assert_eq!(Paginator::window(3, 10), [1, 2, 3, 4, 5, 10]);
    }

    use super::*;

    #[test]
    fn site_urls_become_relative_to_the_page_with_index_files() {
        let urls = Urls::new("https://example.org/repo/");
        let html = "<a href=\"/repo/\">h</a><a href=\"/repo/briefs/x/#a\">b</a>\
            <img src=\"/repo/static/s.1.css\"><link rel=\"canonical\" href=\"https://example.org/repo/\">\
            <a href=\"#top\">t</a><a href=\"//cdn.example/x\">c</a><p>href=&quot;/repo/&quot;</p>";
        let rel = urls.relative_html(html, "briefs/x/index.html");
        assert_eq!(
            rel,
            "<a href=\"../../index.html\">h</a><a href=\"../../briefs/x/index.html#a\">b</a>\
            <img src=\"../../static/s.1.css\"><link rel=\"canonical\" href=\"https://example.org/repo/\">\
            <a href=\"#top\">t</a><a href=\"//cdn.example/x\">c</a><p>href=&quot;/repo/&quot;</p>"
        );
        assert_eq!(
            urls.relative_html("<a href=\"/repo/deals/\">", "index.html"),
            "<a href=\"deals/index.html\">"
        );
        assert_eq!(
            urls.absolute_html("<a href=\"#fn-1\"><img src=\"/repo/a.png\">", Some("briefs/x/")),
            "<a href=\"https://example.org/repo/briefs/x/#fn-1\"><img src=\"https://example.org/repo/a.png\">"
        );
    }
}
