//! The build pipeline: load → render site and memos (in parallel) → write.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::content::{self, LoadOptions, Project};
use crate::error::{Diagnostics, Error, Kind};
use crate::output::{self, Artifact};
use crate::pdf;
use crate::site;
use crate::theme::Theme;

/// Resolved build settings (what the program runs with, not what was typed).
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub site: bool,
    pub memos: bool,
    pub jobs: Option<usize>,
}

/// What a build made.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub memos: usize,
    pub files: usize,
    pub bytes: usize,
    pub millis: u128,
    pub warnings: Diagnostics,
}

/// Loads and validates a project, applying a base URL override and
/// `SOURCE_DATE_EPOCH`.
pub fn load(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
) -> Result<(Project, Theme, Diagnostics), Diagnostics> {
    let (mut project, warnings) = content::load(root, LoadOptions { drafts })?;
    if let Some(url) = base_url {
        if !crate::values::is_web_url(url) {
            return Err(Error::msg(
                Kind::Io,
                format!("--base-url `{url}` is not an absolute http(s) address"),
            )
            .into());
        }
        project.site.base_url = url.to_string();
    }
    typeset_plain_text(&mut project);
    project.updated = site::build_date(&project);
    let theme = Theme::load(root, &project.site)?;
    Ok((project, theme, warnings))
}

/// Titles, summaries and taglines written in YAML get the typographer's
/// quotes and dashes that Markdown bodies get from smart punctuation, so
/// the site, the feed and the memos read `Pakistan’s`, not `Pakistan's`.
fn typeset_plain_text(project: &mut Project) {
    use crate::markdown::smart_quotes;
    let site = &mut project.site;
    for text in [&mut site.title, &mut site.tagline, &mut site.description] {
        *text = smart_quotes(text);
    }
    for b in &mut project.briefs {
        b.front.title = smart_quotes(&b.front.title);
        b.front.summary = smart_quotes(&b.front.summary);
    }
    for p in &mut project.pages {
        p.front.title = smart_quotes(&p.front.title);
        p.front.description = smart_quotes(&p.front.description);
    }
    for d in project.deals.values_mut() {
        d.title = smart_quotes(&d.title);
    }
}

/// Runs a build; on any problem nothing under `out` changes.
pub fn build(opts: &BuildOptions) -> Result<Summary, Diagnostics> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Diagnostics::from(Error::msg(Kind::Io, e.to_string())))?;
    pool.install(|| {
        let (project, theme, warnings) = load(&opts.root, opts.drafts, opts.base_url.as_deref())?;
        let memo_briefs: Vec<&content::Brief> = if opts.memos {
            project.briefs.iter().filter(|b| b.front.pdf).collect()
        } else {
            Vec::new()
        };
        let public_memos: Vec<String> = memo_briefs
            .iter()
            .filter(|b| !b.front.confidential)
            .map(|b| b.slug.clone())
            .collect();

        let (site_result, memo_result) = rayon::join(
            || {
                if opts.site {
                    site::render(
                        &project,
                        &theme,
                        &site::SiteOptions {
                            memos: public_memos.clone(),
                        },
                    )
                } else {
                    Ok(Vec::new())
                }
            },
            || -> Result<Vec<(String, bool, Vec<u8>)>, Error> {
                let fonts = pdf::MemoFonts::load(&theme)?;
                memo_briefs
                    .par_iter()
                    .map(|b| {
                        pdf::memo(&project, &theme, &fonts, b, None)
                            .map(|bytes| (b.slug.clone(), b.front.confidential, bytes))
                    })
                    .collect()
            },
        );
        let mut diags = Diagnostics::default();
        let site_artifacts = site_result.unwrap_or_else(|e| {
            diags.push(e);
            Vec::new()
        });
        let memos = memo_result.unwrap_or_else(|e| {
            diags.push(e);
            Vec::new()
        });
        if diags.has_errors() {
            return Err(diags);
        }

        let mut artifacts: Vec<Artifact> =
            Vec::with_capacity(site_artifacts.len() + memos.len() * 2);
        let pages = site_artifacts
            .iter()
            .filter(|a| a.path.extension().is_some_and(|e| e == "html"))
            .count();
        for a in site_artifacts {
            artifacts.push(Artifact {
                path: Path::new("site").join(&a.path),
                bytes: a.bytes,
            });
        }
        for (slug, confidential, bytes) in &memos {
            if opts.site && !confidential {
                artifacts.push(Artifact::new(
                    format!("site/memos/{slug}.pdf"),
                    bytes.clone(),
                ));
            }
            artifacts.push(Artifact::new(format!("memos/{slug}.pdf"), bytes.clone()));
        }
        let bytes = artifacts.iter().map(|a| a.bytes.len()).sum();
        let files = artifacts.len();
        output::write_all(&opts.out, &artifacts).map_err(Diagnostics::from)?;
        Ok(Summary {
            pages,
            memos: memos.len(),
            files,
            bytes,
            millis: started.elapsed().as_millis(),
            warnings,
        })
    })
}

/// Loads and validates everything (memos are laid out too, so layout
/// problems show), writing nothing.
pub fn check(root: &Path) -> Diagnostics {
    match load(root, true, None) {
        Ok((_, _, warnings)) => warnings,
        Err(d) => d,
    }
}
