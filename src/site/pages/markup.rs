//! Markdown of a page made HTML for the site: data tables as HTML
//! tables with caption and source, pictures with their published widths,
//! internal (`@/briefs/x.md`) and root-relative links made site URLs.

use std::collections::BTreeMap;

use crate::content::links::LinkIndex;
use crate::content::{translated, ColumnAlign, DataTable, Project};
use crate::markdown::{escape, HtmlContext};
use crate::present;
use crate::site::views::{Lang, Urls};

/// Markdown of briefs and pages, with data tables and published images.
pub(super) struct Ctx<'a> {
    pub(super) project: &'a Project,
    pub(super) urls: &'a Urls,
    pub(super) lang: &'a Lang<'a>,
    /// Asset path (`assets/map.png`) → its fingerprinted path.
    pub(super) assets: &'a BTreeMap<String, String>,
    /// Asset path → its published widths.
    pub(super) variants: &'a BTreeMap<String, Vec<crate::site::images::Variant>>,
    /// Internal links (`@/briefs/x.md`).
    pub(super) links: LinkIndex,
}

/// The asset a Markdown image names. Briefs and pages live in
/// `content/<kind>/`: resolved as validation does.
fn image_key(src: &str) -> Option<String> {
    crate::content::validate::asset_key(std::path::Path::new("content/briefs/x.md"), src)
}

impl HtmlContext for Ctx<'_> {
    fn data_table(&self, id: &str) -> Option<String> {
        self.project
            .data
            .get(id)
            .map(|d| data_table_html(d, self.lang))
    }

    fn image_url(&self, src: &str) -> String {
        match image_key(src) {
            Some(key) => self
                .assets
                .get(&key)
                .map(|p| self.urls.path(p))
                .unwrap_or_default(),
            None => String::new(),
        }
    }

    fn image_attrs(&self, src: &str) -> String {
        let key = image_key(src);
        let Some(list) = key.as_ref().and_then(|k| self.variants.get(k)) else {
            return format!("src=\"{}\"", escape(&self.image_url(src)));
        };
        let (Some(widest), Some(first)) = (list.last(), list.first()) else {
            return format!("src=\"{}\"", escape(&self.image_url(src)));
        };
        // The default source: the widest up to 960 pixels.
        let default = list.iter().rev().find(|v| v.width <= 960).unwrap_or(first);
        let srcset = list
            .iter()
            .map(|v| format!("{} {}w", self.urls.path(&v.path), v.width))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "src=\"{}\" srcset=\"{}\" sizes=\"(min-width: 48rem) 42rem, 100vw\" width=\"{}\" height=\"{}\"",
            escape(&self.urls.path(&default.path)),
            escape(&srcset),
            widest.width,
            widest.height
        )
    }

    fn link_url(&self, url: &str) -> String {
        if let Some(target) = self.links.resolve(url) {
            // A link that does not resolve (or leads to a confidential
            // brief) stopped validation; a draft left out of this build
            // leaves its text unlinked.
            return match target {
                Ok(t) if t.confidential_brief.is_none() => self.urls.path(&t.path),
                _ => String::new(),
            };
        }
        // A root-relative link written by hand (`/deals/x/`) is a page of
        // this site: it gets the base path, unless it has it already.
        let rooted = url.starts_with('/') && !url.starts_with("//");
        if rooted && (self.urls.root == "/" || !url.starts_with(&self.urls.root)) {
            return self.urls.path(url);
        }
        url.to_string()
    }
}

/// A data table as HTML, with caption and source (all values escaped).
fn data_table_html(d: &DataTable, lang: &Lang) -> String {
    let tr = (!lang.main)
        .then(|| translated(&d.translations, &lang.tag))
        .flatten();
    let title = tr.and_then(|t| t.title.as_ref()).unwrap_or(&d.title);
    let source = tr.and_then(|t| t.source.as_ref()).unwrap_or(&d.source);
    // A wide table scrolls in its wrapper, which keyboard users can focus.
    let mut s = format!(
        "<figure class=\"data-table\"><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table>\n",
        escape(title)
    );
    let unit = d
        .unit
        .as_deref()
        .map(|u| format!(" <span class=\"unit\">({})</span>", escape(u)))
        .unwrap_or_default();
    s.push_str(&format!(
        "<caption>{}{unit}</caption>\n<thead><tr>",
        escape(title)
    ));
    for (i, c) in d.columns.iter().enumerate() {
        let label = tr
            .and_then(|t| t.columns.as_ref())
            .and_then(|l| l.get(i))
            .unwrap_or(&c.label);
        s.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            align_class(c.align),
            escape(label)
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in d.text_rows() {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = align_class(d.columns[i].align);
            s.push_str(&format!("<td{class}>{}</td>", escape(cell)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str(&format!(
        "</tbody></table></div>\n<figcaption class=\"source\">{}: ",
        escape(lang.t("source"))
    ));
    match &d.source_url {
        Some(u) => s.push_str(&format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a>",
            escape(&u.0),
            escape(source)
        )),
        None => s.push_str(&escape(source)),
    }
    let date = format!(
        "<time datetime=\"{}\">{}</time>",
        d.as_of.iso(),
        escape(&present::date(d.as_of, lang.labels))
    );
    // The label is the theme's; only the date is markup.
    let as_of = escape(lang.t("as_of")).replace("{date}", &date);
    s.push_str(&format!(
        "{} {as_of}{}</figcaption></figure>\n",
        escape(lang.t("comma")),
        escape(lang.t("full_stop"))
    ));
    s
}

fn align_class(align: ColumnAlign) -> &'static str {
    match align {
        ColumnAlign::Right => " class=\"num\"",
        ColumnAlign::Center => " class=\"center\"",
        ColumnAlign::Left => "",
    }
}
