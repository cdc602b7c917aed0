//! Which memo a `copies` run numbers: a brief by its slug, or one of its
//! translations (`--lang ur`, or `antimony-opportunity.ur`), and the name
//! its register goes by.

use crate::content::{Brief, Project};
use crate::error::{did_you_mean, Error, Kind};

/// The brief to copy and its register's name: the slug for the brief as
/// written, `<slug>.<lang>` for a translation (the file's own name, as in
/// `briefs/<slug>.<lang>.md`). A translation is its own memo, with its own
/// numbers and register: a copy number names one document.
pub(super) fn choose<'p>(
    project: &'p Project,
    name: &str,
    lang: Option<&str>,
) -> Result<(&'p Brief, String), Error> {
    // `antimony-opportunity.ur`: a slug and a language.
    let (slug, suffix) = match name.rsplit_once('.') {
        Some((s, l)) if project.brief(name).is_none() && project.brief(s).is_some() => (s, Some(l)),
        _ => (name, None),
    };
    let Some(brief) = project.brief(slug) else {
        let mut e = Error::msg(Kind::Content, format!("unknown brief `{name}`"));
        let slugs: Vec<&str> = project.briefs.iter().map(|b| b.slug.as_str()).collect();
        e = match did_you_mean(name, slugs.iter().copied()) {
            Some(best) => e.with_hint(format!("did you mean `{best}`?")),
            None => e.with_hint(format!("briefs: {}", slugs.join(", "))),
        };
        return Err(e);
    };
    let lang = match (suffix, lang) {
        (Some(a), Some(b)) if crate::i18n::primary(a) != crate::i18n::primary(b) => {
            let e = Error::msg(
                Kind::Io,
                format!("`{name}` names the `{a}` translation, but --lang asks for `{b}`"),
            );
            return Err(e.with_hint(format!(
                "give `{slug}` with --lang {b}, or leave --lang out"
            )));
        }
        (Some(l), _) | (None, Some(l)) => crate::i18n::primary(l),
        (None, None) => return Ok((brief, brief.slug.clone())),
    };
    if crate::i18n::primary(&brief.lang) == lang {
        return Ok((brief, brief.slug.clone()));
    }
    match project
        .translations_of(&brief.slug)
        .find(|t| crate::i18n::primary(&t.lang) == lang)
    {
        Some(t) => Ok((t, format!("{slug}.{lang}"))),
        None => {
            let have: Vec<String> = std::iter::once(brief.lang.clone())
                .chain(project.translations_of(&brief.slug).map(|t| t.lang.clone()))
                .collect();
            Err(Error::msg(
                Kind::Content,
                format!("`{slug}` has no `{lang}` translation"),
            )
            .with_hint(format!(
                "its languages: {}; a translation is content/briefs/{slug}.{lang}.md",
                have.join(", ")
            )))
        }
    }
}
