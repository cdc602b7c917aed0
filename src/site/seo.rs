//! What search engines and link previews read: the `<head>` of each page
//! (title, description, canonical URL, OpenGraph/Twitter type, noindex) and
//! its JSON-LD (organisation, articles, contact people).

use serde_json::{json, Value};

use crate::content::{Brief, Contact, Project};
use crate::site::views::{Meta, Urls};

/// JSON for a `<script type="application/ld+json">`: `<` is escaped so the
/// content can never close the script element.
pub fn json_ld(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Makes the `<head>` of every page; knows the site's URLs and publisher.
pub struct Head<'a> {
    urls: &'a Urls,
    /// The publisher, the JSON-LD of pages that have no other.
    pub organization: Value,
}

impl<'a> Head<'a> {
    pub fn new(urls: &'a Urls, brand: &str) -> Head<'a> {
        Head {
            urls,
            organization: json!({
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": brand,
                "url": urls.base,
            }),
        }
    }

    /// The head of the page at site path `path`; `section` is the nav
    /// entry it belongs to (a site path, or empty).
    pub fn meta(
        &self,
        title: &str,
        description: &str,
        path: &str,
        og_type: &str,
        ld: &Value,
        section: &str,
    ) -> Meta {
        Meta {
            title: title.to_string(),
            description: description.to_string(),
            canonical: self.urls.abs(path),
            og_type: og_type.to_string(),
            noindex: false,
            json_ld: json_ld(ld),
            section: if section.is_empty() {
                String::new()
            } else {
                self.urls.path(section)
            },
            prev_url: None,
            next_url: None,
            alternates: Vec::new(),
            languages: Vec::new(),
        }
    }

    /// An `Article` for a brief's page.
    pub fn article(&self, b: &Brief, author: Option<&Contact>, path: &str) -> Value {
        json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": b.front.title,
            "description": b.front.summary,
            "datePublished": b.front.date.iso(),
            "inLanguage": b.lang,
            "mainEntityOfPage": self.urls.abs(path),
            "author": author.map(|a| json!({"@type": "Person", "name": a.name, "jobTitle": a.title})),
            "publisher": self.organization,
            "keywords": b.front.tags.join(", "),
        })
    }
}

/// Every contact as a `Person` with its phones, for the contact page.
pub fn people(project: &Project) -> Value {
    let persons: Vec<Value> = project
        .contacts
        .values()
        .map(|c| {
            json!({
                "@type": "Person",
                "name": c.name,
                "jobTitle": c.title,
                "worksFor": {"@type": "Organization", "name": c.organization},
                "email": c.email,
                "telephone": c.phones.first().map(|p| p.e164.clone()),
                "contactPoint": c.phones.iter().map(|p| json!({
                    "@type": "ContactPoint",
                    "telephone": p.e164,
                    "contactType": p.label.clone().unwrap_or_else(|| "sales".into()),
                    "availableLanguage": c.languages,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"@context": "https://schema.org", "@graph": persons})
}
