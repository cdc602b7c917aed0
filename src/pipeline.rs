//! The build pipeline: load → render (pure: site pages and memos in
//! memory, in parallel) → write. `check` is load and render without the
//! write, so it reports every problem a build would; `serve` keeps the
//! rendered site in memory.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::content::{self, LoadOptions, Project};
use crate::error::{Diagnostics, Error, Kind};
use crate::output::{self, Artifact};
use crate::pdf;
use crate::site;
use crate::theme::Theme;
use crate::values::Date;

pub mod reuse;

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
    /// Links and asset URLs relative to each page (as `relative_urls: true`
    /// in site.yaml), for a site opened from disk.
    pub relative: bool,
    /// The build date when `SOURCE_DATE_EPOCH` is set (read once, by the
    /// command line); otherwise the newest date in the content.
    pub date: Option<Date>,
    /// Warnings (a character no memo font can draw) fail the run.
    pub strict: bool,
    /// Take memos whose inputs did not change from the previous output.
    pub reuse: bool,
    /// Bodies parsed by an earlier load of this process (`serve`), taken
    /// when unchanged.
    pub parses: Option<Arc<crate::markdown::ParseCache>>,
    /// Texts read by an earlier load of this process (`serve`), taken when
    /// their files are unchanged.
    pub texts: Option<Arc<crate::files::TextCache>>,
    /// The process ends once this build is done (`orepress build`): what
    /// the build held is left to the system to take back with the
    /// process, not freed piece by piece.
    pub last: bool,
}

/// With `--strict`, every warning is an error.
fn strict(warnings: Diagnostics, on: bool) -> Result<Diagnostics, Diagnostics> {
    if !on || warnings.warnings().next().is_none() {
        return Ok(warnings);
    }
    let mut errors = Diagnostics::default();
    for w in warnings.warnings() {
        let mut e = w.clone();
        e.severity = crate::error::Severity::Error;
        errors.push(e);
    }
    errors.sort();
    Err(errors)
}

impl BuildOptions {
    /// Everything, for the project at `root`, into `root/output`.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        let root = root.into();
        BuildOptions {
            out: root.join("output"),
            root,
            base_url: None,
            drafts: false,
            site: true,
            memos: true,
            jobs: None,
            relative: false,
            date: None,
            strict: false,
            reuse: true,
            parses: None,
            texts: None,
            last: false,
        }
    }
}

/// What a build made.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub memos: usize,
    /// Memos taken unchanged from the previous output.
    pub reused: usize,
    pub files: usize,
    pub bytes: usize,
    pub millis: u128,
    pub warnings: Diagnostics,
}

/// Everything a build writes, made in memory.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Paths relative to the output folder (`site/…`, `memos/…`).
    pub artifacts: Vec<Artifact>,
    pub pages: usize,
    pub memos: usize,
    /// Memos taken from the previous output, unchanged.
    pub reused: usize,
    /// Each memo's record (by file stem), as written to `memos/.keys`.
    pub memo_keys: BTreeMap<String, reuse::Recorded>,
    /// Files and bytes written straight into the staging folder (a build's
    /// memos, and its pages when they are final as rendered), not in
    /// `artifacts`.
    pub streamed: (usize, usize),
    /// What the site's pages were made from, for a later render to make
    /// only what changed ([`load_and_render_site`]).
    pub site_record: Option<site::rerender::LastPages>,
    /// Pages (paths relative to `site/`) unchanged since the render whose
    /// record [`load_and_render_site`] was given: not in `artifacts`, to be
    /// taken from that render's files.
    pub kept_pages: Vec<PathBuf>,
}

/// What a render of the site's pages was made from ([`Rendered::site_record`]).
pub use crate::site::rerender::LastPages as SiteRecord;

/// Asked before each memo is set: whether to stop setting them.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// A file of a render and its bytes, shared.
pub type SharedFile = (PathBuf, Arc<Vec<u8>>);

impl Rendered {
    /// What `serve` keeps of a render, moved, not copied: the site's files
    /// (paths relative to `site/`) and this render's memos, for the next
    /// render to take those unchanged.
    pub fn into_served(self) -> (Vec<SharedFile>, reuse::Previous) {
        let mut site = Vec::with_capacity(self.artifacts.len());
        let mut memos: HashMap<String, Arc<Vec<u8>>> = HashMap::new();
        for a in self.artifacts {
            let bytes = Arc::new(a.bytes);
            let rel = a.path.strip_prefix("site").ok();
            // `memos/x.pdf`, or `site/memos/x.pdf`: the same bytes.
            let memo = rel
                .unwrap_or(&a.path)
                .strip_prefix("memos")
                .ok()
                .filter(|m| m.extension().is_some_and(|e| e == "pdf"))
                .and_then(|m| m.file_stem())
                .and_then(|m| m.to_str());
            if let Some(stem) = memo {
                memos
                    .entry(stem.to_string())
                    .or_insert_with(|| bytes.clone());
            }
            if let Some(rel) = rel {
                site.push((rel.to_path_buf(), bytes));
            }
        }
        let memos = self
            .memo_keys
            .into_iter()
            .filter_map(|(stem, rec)| {
                let bytes = memos.remove(&stem)?;
                Some((stem, (rec, bytes)))
            })
            .collect();
        (site, reuse::Previous::in_memory(memos))
    }
}

/// Loads and validates a project, applying a base URL override and the
/// build date.
pub fn load(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
    date: Option<Date>,
) -> Result<(Project, Theme, Diagnostics), Diagnostics> {
    let opts = LoadOptions {
        drafts,
        ..Default::default()
    };
    load_parsing(root, opts, base_url, date)
}

/// [`load`] as `opts` asks: with drafts or not, taking unchanged texts and
/// bodies from its caches.
fn load_parsing(
    root: &Path,
    opts: LoadOptions<'_>,
    base_url: Option<&str>,
    date: Option<Date>,
) -> Result<(Project, Theme, Diagnostics), Diagnostics> {
    if let Some(url) = base_url {
        if !crate::values::is_base_url(url) {
            return Err(Error::msg(
                Kind::Io,
                format!(
                    "--base-url `{url}` is not an absolute http(s) address without ?query, #fragment or user:password@"
                ),
            )
            .into());
        }
    }
    // The theme's files are read while the content is, for the theme that
    // site.yaml seems to name; read again if the loaded settings name
    // another.
    let named = theme_named(root);
    let (content, early) = rayon::join(
        || content::load_for(root, opts, base_url),
        || named.map(|name| (Theme::read(root, &name), name)),
    );
    let (mut project, warnings) = content?;
    typeset_plain_text(&mut project);
    if let Some(date) = date {
        project.updated = date;
    }
    let theme = match early {
        Some((read, name)) if name == project.site.theme => read?.finish(root, &project.site)?,
        _ => Theme::load(root, &project.site)?,
    };
    let mut warnings = warnings;
    for w in crate::pdf::coverage::missing_glyphs(root, &project, &theme) {
        warnings.push(w);
    }
    warnings.sort();
    Ok((project, theme, warnings))
}

/// The theme `content/site.yaml` names (`default` when it names none), if
/// it reads as YAML: a guess for reading the theme early, which
/// [`load`] checks against the settings once they are loaded.
fn theme_named(root: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        theme: Option<String>,
    }
    let path = root.join("content/site.yaml");
    let text = crate::files::read_regular_string(&path).ok()?;
    // Through the checked parser: deep nesting and aliases are refused
    // before parsing (the settings' own read reports them).
    let named: Named = crate::yaml::from_yaml(&path, &text, 1).ok()?;
    Some(named.theme.unwrap_or_else(|| "default".into()))
}

/// Titles, summaries and taglines written in YAML get the typographer's
/// quotes and dashes that Markdown bodies get from smart punctuation, so
/// the site, the feed and the memos read `Pakistan’s`, not `Pakistan's`.
fn typeset_plain_text(project: &mut Project) {
    use crate::markdown::smart_quotes;
    let site = &mut project.site;
    for text in [
        &mut site.title,
        &mut site.tagline,
        &mut site.description,
        &mut site.deals_intro,
    ] {
        *text = smart_quotes(text);
    }
    for b in project.briefs.iter_mut().chain(&mut project.translations) {
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

/// Which outputs to render.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub site: bool,
    pub memos: bool,
    /// The site's pages link the memos of their briefs even though the
    /// memos are not made in this render (`serve` makes them after the
    /// pages). Without it a site rendered alone links none.
    pub memo_links: bool,
}

/// Renders the site and the memos in memory, touching no file. Every
/// problem of either (a template error, an image that cannot be decoded, a
/// memo that cannot be laid out) is collected.
pub fn render(project: &Project, theme: &Theme, parts: Parts) -> Result<Rendered, Diagnostics> {
    render_reusing(project, theme, parts, &reuse::Previous::default())
}

/// [`render`], taking each memo whose inputs did not change from
/// `previous` rather than setting it again.
pub fn render_reusing(
    project: &Project,
    theme: &Theme,
    parts: Parts,
    previous: &reuse::Previous,
) -> Result<Rendered, Diagnostics> {
    render_into(project, theme, parts, previous, None, true, None, None)
}

/// [`render_reusing`]; with `staging`, each memo goes into it as soon as
/// it is made (a build of thousands of memos holds a few at a time) and
/// `Rendered::artifacts` has the other files only. Without `pages` the
/// site's pages are not rendered: the memos alone, at the paths `parts`
/// gives them.
#[allow(clippy::too_many_arguments)]
fn render_into(
    project: &Project,
    theme: &Theme,
    parts: Parts,
    previous: &reuse::Previous,
    staging: Option<&output::Staging>,
    pages: bool,
    stop: Option<Stop<'_>>,
    last: Option<&site::rerender::LastPages>,
) -> Result<Rendered, Diagnostics> {
    let pdf_briefs: Vec<&content::Brief> = if parts.memos || parts.memo_links {
        project
            .briefs
            .iter()
            .chain(&project.translations)
            .filter(|b| b.front.pdf)
            .collect()
    } else {
        Vec::new()
    };
    // A translation's memo is `<slug>.<lang>.pdf`.
    let public_memos: Vec<String> = pdf_briefs
        .iter()
        .filter(|b| !b.front.confidential)
        .map(|b| site::views::memo_stem(b))
        .collect();
    let memo_briefs = if parts.memos { pdf_briefs } else { Vec::new() };

    // With a staging folder, pages go into it as they are rendered.
    let streamed_pages = std::sync::atomic::AtomicUsize::new(0);
    let streamed_bytes = std::sync::atomic::AtomicUsize::new(0);
    let put_page = |a: Artifact| -> Result<(), Error> {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(s) = staging {
            s.put(&Path::new("site").join(&a.path), &a.bytes)?;
            streamed_pages.fetch_add(1, Relaxed);
            streamed_bytes.fetch_add(a.bytes.len(), Relaxed);
        }
        Ok(())
    };
    let (site_result, memo_result) = rayon::join(
        || {
            if parts.site && pages {
                site::render(
                    project,
                    theme,
                    &site::SiteOptions {
                        memos: public_memos.clone(),
                        pictures: Some(&previous.pictures),
                        last,
                    },
                    staging.map(|_| &put_page as site::Sink<'_>),
                )
                .map(Some)
            } else {
                Ok(None)
            }
        },
        || -> Result<Vec<Memo>, Error> {
            if memo_briefs.is_empty() {
                return Ok(Vec::new());
            }
            let inputs = reuse::shared_digest(project, theme);
            // An image in several memos (the logo) is embedded once.
            let streams = pdf::write::SharedStreams::default();
            // Fonts are parsed only when some memo has to be set.
            let fonts = std::sync::OnceLock::new();
            memo_briefs
                .par_iter()
                .with_max_len(1)
                .map(|b| {
                    if stop.is_some_and(|stop| stop()) {
                        return Err(Error::msg(
                            Kind::Io,
                            "stopped: a newer render replaces this one",
                        ));
                    }
                    let stem = site::views::memo_stem(b);
                    let key = reuse::memo_key(&inputs, b);
                    let paths = memo_paths(&stem, parts.site && !b.front.confidential);
                    // Unchanged and untouched in the previous output: the
                    // same file, under its names in the new one.
                    if let Some(s) = staging {
                        if let Some((from, record, size)) = previous.untouched(&stem, &key) {
                            let digest = u128::from_str_radix(&record.digest, 16).ok();
                            s.link(&from, &paths, digest.map(|d| (size, d)))?;
                            return Ok(Memo {
                                stem,
                                paths,
                                record,
                                bytes: None,
                                size,
                                reused: true,
                            });
                        }
                    }
                    let (bytes, record) = match previous.take(&stem, &key) {
                        Some((bytes, record)) => (bytes, Some(record)),
                        None => {
                            let fonts = match fonts.get() {
                                Some(f) => f,
                                None => {
                                    let loaded = pdf::MemoFonts::load(theme)?;
                                    fonts.get_or_init(|| loaded)
                                }
                            };
                            (pdf::memo(project, theme, fonts, &streams, b, None)?, None)
                        }
                    };
                    let reused = record.is_some();
                    let record = record.unwrap_or_else(|| reuse::Recorded {
                        key,
                        digest: reuse::file_digest(&bytes),
                    });
                    let size = bytes.len();
                    let bytes = match staging {
                        Some(s) => {
                            s.put_all(&paths, &bytes)?;
                            None
                        }
                        None => Some(bytes),
                    };
                    Ok(Memo {
                        stem,
                        paths,
                        record,
                        bytes,
                        size,
                        reused,
                    })
                })
                .collect()
        },
    );
    let mut diags = Diagnostics::default();
    let site = site_result.unwrap_or_else(|e| {
        diags.push(e);
        None
    });
    let memos = memo_result.unwrap_or_else(|e| {
        diags.push(e);
        Vec::new()
    });
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }

    let (site_artifacts, pictures, site_record, kept_pages) = match site {
        Some(site) => (site.files, Some(site.pictures), site.record, site.kept),
        None => (Vec::new(), None, None, Vec::new()),
    };
    let mut artifacts: Vec<Artifact> = Vec::with_capacity(site_artifacts.len() + memos.len() * 2);
    if let Some(pictures) = pictures {
        artifacts.push(Artifact::new(site::images::RECORD, pictures));
    }
    let streamed_pages = streamed_pages.into_inner();
    let pages = site_artifacts
        .iter()
        .filter(|a| a.path.extension().is_some_and(|e| e == "html"))
        .count()
        + streamed_pages
        + kept_pages.len();
    for a in site_artifacts {
        artifacts.push(Artifact {
            path: Path::new("site").join(&a.path),
            bytes: a.bytes,
        });
    }
    let count = memos.len();
    let reused = memos.iter().filter(|m| m.reused).count();
    let mut streamed = (streamed_pages, streamed_bytes.into_inner());
    let mut memo_keys = BTreeMap::new();
    for m in memos {
        match m.bytes {
            // `repeat_n` gives the last path the bytes themselves.
            Some(bytes) => {
                let n = m.paths.len();
                artifacts.extend(
                    m.paths
                        .into_iter()
                        .zip(std::iter::repeat_n(bytes, n))
                        .map(|(path, bytes)| Artifact { path, bytes }),
                );
            }
            None => {
                streamed.0 += m.paths.len();
                streamed.1 += m.paths.len() * m.size;
            }
        }
        memo_keys.insert(m.stem, m.record);
    }
    if parts.memos {
        artifacts.push(Artifact::new(reuse::KEYS, reuse::keys_file(&memo_keys)));
    }
    Ok(Rendered {
        artifacts,
        pages,
        memos: count,
        reused,
        memo_keys,
        streamed,
        site_record,
        kept_pages,
    })
}

/// Where a build puts the memo `stem`: `site/memos/` (when `on_site`,
/// a public memo of a build with a site) and `memos/`.
fn memo_paths(stem: &str, on_site: bool) -> Vec<PathBuf> {
    let mut paths = Vec::with_capacity(2);
    if on_site {
        paths.push(PathBuf::from(format!("site/memos/{stem}.pdf")));
    }
    paths.push(PathBuf::from(format!("memos/{stem}.pdf")));
    paths
}

/// One memo of a build: its bytes, unless they went to the staging folder.
struct Memo {
    stem: String,
    /// Where it goes ([`memo_paths`]).
    paths: Vec<PathBuf>,
    record: reuse::Recorded,
    bytes: Option<Vec<u8>>,
    size: usize,
    reused: bool,
}

/// Runs `f` on a thread pool of `jobs` threads (all cores when `None`).
fn with_pool<T: Send>(
    jobs: Option<usize>,
    f: impl FnOnce() -> Result<T, Diagnostics> + Send,
) -> Result<T, Diagnostics> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| Diagnostics::from(Error::msg(Kind::Io, e.to_string())))?;
    pool.install(f)
}

/// Loads the project as `opts` asks (relative URLs, `--strict`): the one
/// load that `build`, `check` and `serve` share.
fn load_with(opts: &BuildOptions) -> Result<(Project, Theme, Diagnostics), Diagnostics> {
    let load_opts = LoadOptions {
        drafts: opts.drafts,
        parses: opts.parses.as_deref(),
        texts: opts.texts.as_deref(),
    };
    let (mut project, theme, warnings) =
        load_parsing(&opts.root, load_opts, opts.base_url.as_deref(), opts.date)?;
    project.site.relative_urls |= opts.relative;
    let warnings = strict(warnings, opts.strict)?;
    Ok((project, theme, warnings))
}

impl BuildOptions {
    /// The outputs these options ask for.
    fn parts(&self) -> Parts {
        Parts {
            site: self.site,
            memos: self.memos,
            memo_links: self.memos,
        }
    }

    /// The parts of the previous output a build with these options keeps:
    /// those it does not make.
    fn kept_parts(&self) -> Vec<&'static str> {
        let mut keep = Vec::new();
        if !self.site {
            keep.push("site");
            keep.push(site::images::RECORD);
        }
        if !self.memos {
            keep.push("memos");
        }
        keep
    }
}

/// Loads and renders: what `build` writes and `serve` serves.
pub fn load_and_render(opts: &BuildOptions) -> Result<(Rendered, Diagnostics), Diagnostics> {
    load_and_render_reusing(opts, &reuse::Previous::default())
}

/// [`load_and_render`], taking unchanged memos from `previous`.
pub fn load_and_render_reusing(
    opts: &BuildOptions,
    previous: &reuse::Previous,
) -> Result<(Rendered, Diagnostics), Diagnostics> {
    with_pool(opts.jobs, || {
        let (project, theme, warnings) = load_with(opts)?;
        let rendered = render_reusing(&project, &theme, opts.parts(), previous)?;
        Ok((rendered, warnings))
    })
}

/// A project loaded for two renders, the site's pages first and then its
/// memos (`serve` shows the pages while the memos are set).
pub struct Loaded {
    project: Project,
    theme: Theme,
}

/// Loads the project as `opts` asks and renders its site, whose pages link
/// the memos that [`Loaded::memos`] makes next.
///
/// Pictures unchanged since `previous` made them are taken from it. With
/// `last`, the record of the last render (its `site_record`), only the
/// pages whose inputs changed since are rendered: the others are listed in
/// `kept_pages`, to be taken from that render.
pub fn load_and_render_site(
    opts: &BuildOptions,
    previous: &reuse::Previous,
    last: Option<&site::rerender::LastPages>,
) -> Result<(Rendered, Diagnostics, Loaded), Diagnostics> {
    with_pool(opts.jobs, || {
        let (project, theme, warnings) = load_with(opts)?;
        let parts = Parts {
            site: true,
            memos: false,
            memo_links: opts.memos,
        };
        let rendered = render_into(&project, &theme, parts, previous, None, true, None, last)?;
        Ok((rendered, warnings, Loaded { project, theme }))
    })
}

impl Loaded {
    /// The memos of the loaded project (those unchanged taken from
    /// `previous`), with the paths a build gives them: `memos/` and, for
    /// public ones, `site/memos/`.
    ///
    /// Stops early, with an error, once `stop` says so (`serve`, when a
    /// newer save makes these memos out of date).
    pub fn memos(
        &self,
        opts: &BuildOptions,
        previous: &reuse::Previous,
        stop: Stop<'_>,
    ) -> Result<Rendered, Diagnostics> {
        with_pool(opts.jobs, || {
            let parts = Parts {
                site: true,
                memos: opts.memos,
                memo_links: opts.memos,
            };
            render_into(
                &self.project,
                &self.theme,
                parts,
                previous,
                None,
                false,
                Some(stop),
                None,
            )
        })
    }
}

/// Runs a build: load → check the output folder → render → write; on any
/// problem nothing under `out` changes. An output folder that is or holds
/// the project, lies in its sources, or holds someone else's files is
/// refused before anything is rendered. The part a partial build does not
/// make (`site/` or `memos/`) is kept from the previous output.
pub fn build(opts: &BuildOptions) -> Result<Summary, Diagnostics> {
    let started = Instant::now();
    let (rendered, warnings, staging, loaded, out) = with_pool(opts.jobs, || {
        let (project, theme, warnings) = load_with(opts)?;
        let out = output::check_target(&opts.out, &opts.root, &project.site.copies.register_dir)?;
        let previous = if opts.reuse {
            reuse::Previous::read(&out)
        } else {
            reuse::Previous::default()
        };
        // Memos go into the new output as they are made; everything else
        // once all of it rendered. Any error drops the staging folder.
        let staging = output::Staging::begin(&out)?;
        staging.keep(&opts.kept_parts())?;
        let rendered = render_into(
            &project,
            &theme,
            opts.parts(),
            &previous,
            Some(&staging),
            true,
            None,
            None,
        )?;
        rendered
            .artifacts
            .par_iter()
            .with_max_len(crate::PAR_LEAF)
            .try_for_each(|a| staging.put(&a.path, &a.bytes))?;
        Ok((rendered, warnings, staging, (project, theme), out))
    })?;
    discard(loaded, opts.last);
    let bytes = rendered
        .artifacts
        .iter()
        .map(|a| a.bytes.len())
        .sum::<usize>()
        + rendered.streamed.1;
    let files = rendered.artifacts.len() + rendered.streamed.0;
    staging
        .finish(&opts.kept_parts())
        .map_err(Diagnostics::from)?;
    if opts.memos {
        reuse::date_keys(&out);
    }
    let summary = Summary {
        pages: rendered.pages,
        memos: rendered.memos,
        reused: rendered.reused,
        files,
        bytes,
        millis: started.elapsed().as_millis(),
        warnings,
    };
    discard(rendered, opts.last);
    Ok(summary)
}

/// Frees `value` on a thread of its own: a project of thousands of briefs
/// takes tens of milliseconds to free, which the build need not wait for
/// (a process that ends meanwhile leaves it to the system). In a process
/// that ends after this build (`last`) it is not freed at all: 10,000
/// briefs' trees take a core 60 ms to free, while the old output is being
/// removed.
fn discard<T: Send + 'static>(value: T, last: bool) {
    if last {
        std::mem::forget(value);
        return;
    }
    // Should no thread start, the closure and `value` are freed here.
    let _ = std::thread::Builder::new()
        .name("orepress-free".into())
        .spawn(move || drop(value));
}

/// Loads and renders everything (drafts included, site and memos), writing
/// nothing: every problem a build would report, and the warnings. Memos
/// unchanged since the last build into `output/` are not set again.
pub fn check(root: &Path, strict: bool) -> Diagnostics {
    let mut opts = BuildOptions::new(root);
    opts.drafts = true;
    opts.strict = strict;
    // A memo the last build made from the same inputs would be made again
    // without a problem: it is not set again to be thrown away.
    let previous = reuse::Previous::read(&opts.out).keys_only();
    match load_and_render_reusing(&opts, &previous) {
        Ok((_, warnings)) => warnings,
        Err(d) => d,
    }
}
