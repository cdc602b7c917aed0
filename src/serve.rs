//! `orepress serve`: a local preview. Loads and renders the project with
//! the base URL pointed at the preview server and serves the rendered site
//! from memory (nothing is written to disk), re-rendering when anything
//! under `content/`, `templates/` or `themes/` changes. Pages reload
//! themselves after a successful re-render; a failed one prints its
//! problems and the last good site stays up.
//!
//! The reload script is added to pages as they are served, never to the
//! files a build writes: the published site needs no JavaScript. Each
//! request is answered on its own thread (up to [`MAX_CLIENTS`] at once),
//! so a client that never reads its response holds up no other; requests
//! naming another host are refused (DNS rebinding).

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::error::{Diagnostics, Error, Kind};
use crate::pipeline::{self, BuildOptions};

/// Settings for the preview server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Build date from `SOURCE_DATE_EPOCH`, when set.
    pub date: Option<crate::values::Date>,
    /// Open the preview in the default browser once it is up.
    pub open: bool,
}

/// Path the pages poll for the build number.
const VERSION_PATH: &str = "/__orepress/version";

/// Polls the build number and reloads the page when it changes.
const RELOAD_SCRIPT: &str = r#"<script>(()=>{let v;setInterval(()=>fetch("/__orepress/version").then(r=>r.text()).then(t=>{if(v&&t!==v)location.reload();v=t}).catch(()=>{}),800)})();</script>"#;

/// Requests answered at once; more wait for a free slot.
const MAX_CLIENTS: usize = 64;

/// The rendered site: URL path (relative, `/`-separated) → bytes.
type Files = BTreeMap<String, Arc<Vec<u8>>>;

/// The site being served and its build number.
struct Live {
    files: RwLock<Arc<Files>>,
    /// The problems of the last render, when it failed: every page shows
    /// them (as the terminal does) until an edit fixes them.
    problems: RwLock<Option<String>>,
    version: AtomicU64,
    /// The memos of the pages being served are still being set: a request
    /// for one waits for them.
    memos_pending: std::sync::atomic::AtomicBool,
    /// The render whose memos are wanted: a save starts a new one, and the
    /// memos of an older one stop being set.
    round: AtomicU64,
    /// `host:port` values a request's `Host` may carry.
    hosts: Vec<String>,
    busy: AtomicUsize,
}

/// The files of a render to serve, by URL path, and its memos for the
/// next render to take.
fn served(mut rendered: pipeline::Rendered) -> Served {
    let record = rendered.site_record.take();
    let kept: Vec<String> = std::mem::take(&mut rendered.kept_pages)
        .iter()
        .map(|p| url_key(p))
        .collect();
    let (site, _) = rendered.into_served();
    let files = site
        .into_iter()
        .map(|(p, bytes)| (url_key(&p), bytes))
        .collect();
    Served {
        files,
        record,
        kept,
    }
}

/// What the preview keeps of a render of its pages.
struct Served {
    /// The files rendered, by site path.
    files: Files,
    /// What the pages were made from, for the next render.
    record: Option<pipeline::SiteRecord>,
    /// Pages unchanged since the last render, to be taken from its files.
    kept: Vec<String>,
}

/// A site file's key: its path with `/` between folders.
fn url_key(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Renders, serves and watches until the process is stopped. Returns only
/// on a problem that stops the preview (the first render failing, the port
/// being taken).
pub fn serve(opts: &ServeOptions) -> Result<(), Diagnostics> {
    let server = Server::http(SocketAddr::new(opts.interface, opts.port)).map_err(|e| {
        io_problem(format!(
            "cannot listen on {}:{}: {e}",
            opts.interface, opts.port
        ))
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| io_problem("the preview server has no IP address".into()))?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    let port = addr.port();
    let mut hosts = vec![
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    match addr.ip() {
        IpAddr::V6(ip) => hosts.push(format!("[{ip}]:{port}")),
        ip => hosts.push(format!("{ip}:{port}")),
    }

    let mut build = BuildOptions::new(&opts.root);
    build.base_url = Some(url.clone());
    build.drafts = opts.drafts;
    build.date = opts.date;
    build.parses = Some(Arc::default());
    build.texts = Some(Arc::default());
    let (mut watcher, rx) = start_watching(opts)?;
    let started = Instant::now();
    // A project with problems is served too: its pages show the problems
    // until an edit fixes them.
    // Memos a build left in output/ are taken as they are when nothing
    // they are made from changed (the preview's address is not part of a
    // memo): a large project starts serving without setting every memo.
    // Pictures the build made are taken from output/ when unchanged, by
    // every render of the pages.
    let mut previous = pipeline::reuse::Previous::read(&build.out);
    let pictures = previous.take_pictures();
    // The pages are served first; the memos follow once set.
    let (files, problems, loaded, last) =
        match pipeline::load_and_render_site(&build, &pictures, None) {
            Ok((rendered, warnings, loaded)) => {
                warnings.print();
                say!(
                    "Rendered {} pages in {} ms",
                    rendered.pages,
                    started.elapsed().as_millis()
                );
                let served = served(rendered);
                (served.files, None, Some(loaded), served.record)
            }
            Err(diags) if diags.errors().all(|e| e.kind == Kind::Content) => {
                diags.print();
                (Files::new(), Some(overlay(&diags)), None, None)
            }
            Err(diags) => return Err(diags),
        };

    let live = Arc::new(Live {
        files: RwLock::new(Arc::new(files)),
        problems: RwLock::new(problems),
        version: AtomicU64::new(1),
        memos_pending: std::sync::atomic::AtomicBool::new(loaded.is_some()),
        round: AtomicU64::new(0),
        hosts,
        busy: AtomicUsize::new(0),
    });
    raise_open_file_limit();
    {
        let live = live.clone();
        std::thread::spawn(move || accept_forever(server, addr, &live));
    }
    say!("Serving {url} (Ctrl-C to stop); watching for changes");
    if opts.open {
        open_browser(&url);
    }
    let kept = Arc::new(Mutex::new(previous));
    if let Some(loaded) = loaded {
        spawn_memos(&build, &live, loaded, &kept);
    }
    let watched = Watched {
        watcher: &mut watcher,
        root: opts
            .root
            .canonicalize()
            .unwrap_or_else(|_| opts.root.clone()),
    };
    watch(rx, watched, &build, &live, &kept, &pictures, last)
}

/// Set when the HTTP server's accept thread panics: tiny_http unwraps the
/// duplicate of each new socket, which fails when the process is out of
/// file descriptors (hundreds of clients holding connections open), and
/// the preview stopped answering for good.
static ACCEPT_DIED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Answers requests, each on its own thread (up to [`MAX_CLIENTS`] at
/// once), for as long as the process runs: when the server stops
/// accepting (out of file descriptors: its accept thread ended on the
/// error or panicked), it is made again on the same address, once the
/// address can be taken.
fn accept_forever(mut server: Server, addr: SocketAddr, live: &Arc<Live>) {
    quiet_accept_panics();
    loop {
        loop {
            match server.recv_timeout(Duration::from_millis(250)) {
                Ok(Some(request)) => {
                    while live.busy.load(Ordering::SeqCst) >= MAX_CLIENTS {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    live.busy.fetch_add(1, Ordering::SeqCst);
                    let live = live.clone();
                    std::thread::spawn(move || {
                        respond(request, &live);
                        live.busy.fetch_sub(1, Ordering::SeqCst);
                    });
                }
                Ok(None) if ACCEPT_DIED.swap(false, Ordering::SeqCst) => break,
                Ok(None) => {}
                Err(_) => break,
            }
        }
        drop(server);
        server = loop {
            std::thread::sleep(Duration::from_millis(200));
            if let Ok(again) = Server::http(addr) {
                break again;
            }
        };
    }
}

/// A panic of the HTTP server's own threads is noted (the preview is
/// restarted), not printed; any other panic is reported as before.
fn quiet_accept_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_some_and(|l| l.file().contains("tiny_http"))
            {
                ACCEPT_DIED.store(true, Ordering::SeqCst);
                return;
            }
            previous(info);
        }));
    });
}

/// Raises the soft limit on open files to the hard one (at most 65,536):
/// each client of the preview holds a socket, and the default soft limit
/// of some systems is 1,024.
#[cfg(target_os = "linux")]
fn raise_open_file_limit() {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let now = getrlimit(Resource::Nofile);
    let want = now.maximum.unwrap_or(1 << 16).min(1 << 16);
    if now.current.is_some_and(|c| c < want) {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(want),
                maximum: now.maximum,
            },
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn raise_open_file_limit() {}

/// What the next render's memos may take from: the memos last set (at
/// first, those of the output folder).
type Kept = Arc<Mutex<pipeline::reuse::Previous>>;

/// Sets the memos of the render being served, beside its pages, on a
/// thread of their own: a save meanwhile is rendered at once, and these
/// memos, out of date, stop being set.
fn spawn_memos(build: &BuildOptions, live: &Arc<Live>, loaded: pipeline::Loaded, kept: &Kept) {
    let round = live.round.load(Ordering::SeqCst);
    let (build, live, kept) = (build.clone(), live.clone(), kept.clone());
    std::thread::spawn(move || {
        // An older round's memos stop at their next memo; wait for them.
        let Ok(mut previous) = kept.lock() else {
            return;
        };
        let stale = || live.round.load(Ordering::SeqCst) != round;
        if !stale() {
            set_memos(&build, &live, loaded, &mut previous, &stale);
        }
    });
}

/// Sets the memos of the pages being served (those unchanged taken from
/// `previous`, which then holds them for the next render) and serves them
/// beside the pages.
fn set_memos(
    build: &BuildOptions,
    live: &Live,
    loaded: pipeline::Loaded,
    previous: &mut pipeline::reuse::Previous,
    stale: pipeline::Stop<'_>,
) {
    let started = Instant::now();
    match loaded.memos(build, previous, stale) {
        Ok(rendered) => {
            let (count, reused) = (rendered.memos, rendered.reused);
            let (site, next) = rendered.into_served();
            let memos = site.into_iter().map(|(p, bytes)| (url_key(&p), bytes));
            if let Ok(mut slot) = live.files.write() {
                let mut files: Files = slot
                    .iter()
                    .filter(|(k, _)| !is_memo(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                files.extend(memos);
                *slot = Arc::new(files);
            }
            say!(
                "Set {} memos ({} unchanged) in {} ms",
                count,
                reused,
                started.elapsed().as_millis()
            );
            *previous = next;
        }
        // A newer save replaced these memos: its own are being set.
        Err(_) if stale() => return,
        Err(diags) => {
            diags.print();
            tell!("Memos failed; still serving the last good ones");
            if let Ok(mut p) = live.problems.write() {
                *p = Some(overlay(&diags));
            }
            live.version.fetch_add(1, Ordering::SeqCst);
        }
    }
    if !stale() {
        live.memos_pending.store(false, Ordering::SeqCst);
    }
}

/// Watches the project and re-renders on change.
type Events = mpsc::Receiver<notify::Result<notify::Event>>;

/// Starts watching the project, before the first render, so that no save
/// made while the preview starts is missed.
fn start_watching(
    opts: &ServeOptions,
) -> Result<(notify::RecommendedWatcher, Events), Diagnostics> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| io_problem(format!("cannot watch the project for changes: {e}")))?;
    // The project folder itself, for its folders coming and going (a
    // branch switched, a backup restored, `templates/` made).
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let _ = watcher.watch(&root, RecursiveMode::NonRecursive);
    let mut watched = 0;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| io_problem(format!("cannot watch {}: {e}", path.display())))?;
            watched += 1;
        }
    }
    if watched == 0 {
        return Err(io_problem(format!(
            "{}: no content/ folder to watch",
            opts.root.display()
        )));
    }
    Ok((watcher, rx))
}

/// The project's folders a preview watches.
const WATCHED: [&str; 3] = ["content", "templates", "themes"];

/// The watcher and the project folder it watches (resolved).
struct Watched<'a> {
    watcher: &'a mut notify::RecommendedWatcher,
    root: PathBuf,
}

impl Watched<'_> {
    /// Whether `p` is one of the project's [`WATCHED`] folders itself.
    fn is_top(&self, p: &Path) -> bool {
        p.parent() == Some(self.root.as_path())
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| WATCHED.contains(&n))
    }

    /// Whether `event` concerns what the preview renders: anything under
    /// a watched folder, or one of them itself; not the project folder's
    /// other files (`output/`, an editor's files beside `content/`).
    fn concerns(&self, event: &notify::Event) -> bool {
        event
            .paths
            .iter()
            .any(|p| p.parent() != Some(self.root.as_path()) || self.is_top(p))
    }

    /// Takes in one event: watches again what it made or removed, and
    /// forgets what was read of what it changed (everything, when a
    /// watched folder came or went).
    fn take(&mut self, build: &BuildOptions, event: &notify::Result<notify::Event>) {
        if self.renew(event) {
            if let Some(texts) = &build.texts {
                texts.clear();
            }
        }
        forget_changed(build, event);
    }

    /// Watches a watched folder again when `event` made, removed or
    /// renamed it: a folder deleted and made again is a new folder, and
    /// the watch on the old one saw none of its files. Returns whether it
    /// did (what was read of the project is then forgotten).
    fn renew(&mut self, event: &notify::Result<notify::Event>) -> bool {
        let Ok(event) = event else { return false };
        use notify::event::{EventKind, ModifyKind};
        // Only for a folder made, removed or renamed: watching again on
        // any other event (its time changed) lost the new watch to the
        // end of the one taken down.
        if !matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        ) {
            return false;
        }
        let mut renewed = false;
        let tops: Vec<PathBuf> = event
            .paths
            .iter()
            .filter(|p| self.is_top(p))
            .cloned()
            .collect();
        for p in tops {
            if p.is_dir() {
                let _ = self.watcher.watch(&p, RecursiveMode::Recursive);
            } else {
                let _ = self.watcher.unwatch(&p);
            }
            renewed = true;
        }
        renewed
    }
}

/// How long the project must be quiet after a change before it is
/// rendered: an editor's save is a burst of events a few milliseconds
/// long.
const QUIET: Duration = Duration::from_millis(20);

/// A change is rendered at the latest this long after it, even while
/// events keep coming.
const SETTLE_AT_MOST: Duration = Duration::from_millis(250);

/// Re-renders on every change until the watcher stops.
fn watch(
    rx: Events,
    mut watched: Watched<'_>,
    build: &BuildOptions,
    live: &Arc<Live>,
    kept: &Kept,
    pictures: &pipeline::reuse::Previous,
    mut last: Option<pipeline::SiteRecord>,
) -> Result<(), Diagnostics> {
    loop {
        // Wait for a change, then let a burst of events (an editor saving
        // through a temporary file) settle before rendering once: render
        // when none has come for a moment, or a while after the first.
        match rx.recv() {
            Ok(event) => {
                watched.take(build, &event);
                if !event
                    .as_ref()
                    .is_ok_and(|e| relevant(e) && watched.concerns(e))
                {
                    continue;
                }
            }
            Err(_) => return Ok(()),
        }
        let latest = Instant::now() + SETTLE_AT_MOST;
        loop {
            let until = (Instant::now() + QUIET).min(latest);
            match rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(event) => watched.take(build, &event),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        let started = Instant::now();
        // The pages first, served as soon as they are rendered (with the
        // last memos), then the memos: those whose inputs did not change
        // are taken from the last render, so saving one brief sets one.
        live.memos_pending.store(true, Ordering::SeqCst);
        live.round.fetch_add(1, Ordering::SeqCst);
        // Only the pages whose inputs changed since the pages served now
        // were rendered are rendered again.
        match render_pages(build, pictures, live, last.take()) {
            Ok((rendered, warnings, loaded)) => {
                warnings.print();
                let Served {
                    mut files,
                    record,
                    kept: _,
                } = rendered;
                if let Ok(mut slot) = live.files.write() {
                    for (k, v) in slot.iter().filter(|(k, _)| is_memo(k)) {
                        files.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                    *slot = Arc::new(files);
                }
                last = record;
                if let Ok(mut p) = live.problems.write() {
                    *p = None;
                }
                let n = live.version.fetch_add(1, Ordering::SeqCst) + 1;
                say!(
                    "Rebuilt in {} ms (build {n})",
                    started.elapsed().as_millis()
                );
                spawn_memos(build, live, loaded, kept);
            }
            Err(diags) => {
                live.memos_pending.store(false, Ordering::SeqCst);
                diags.print();
                tell!("Rebuild failed; still serving the last good build");
                if let Ok(mut p) = live.problems.write() {
                    *p = Some(overlay(&diags));
                }
                // Open pages reload to show the problems.
                live.version.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// The pages rendered again after a save: those whose inputs changed since
/// `last` (the record of the pages served now) rendered, the others taken
/// from the files served now. Should one of those be missing, every page
/// is rendered.
fn render_pages(
    build: &BuildOptions,
    pictures: &pipeline::reuse::Previous,
    live: &Live,
    last: Option<pipeline::SiteRecord>,
) -> Result<(Served, Diagnostics, pipeline::Loaded), Diagnostics> {
    let (rendered, warnings, loaded) =
        pipeline::load_and_render_site(build, pictures, last.as_ref())?;
    let mut served = served(rendered);
    if served.kept.is_empty() {
        return Ok((served, warnings, loaded));
    }
    let complete = match live.files.read() {
        Ok(now) => served.kept.iter().all(|k| match now.get(k) {
            Some(v) => {
                served.files.insert(k.clone(), v.clone());
                true
            }
            None => false,
        }),
        Err(_) => false,
    };
    if complete {
        served.kept.clear();
        return Ok((served, warnings, loaded));
    }
    let (rendered, warnings, loaded) = pipeline::load_and_render_site(build, pictures, None)?;
    Ok((self::served(rendered), warnings, loaded))
}

/// The files an event says were written, moved or deleted are read again
/// at the next render (though unchanged in size and dates); all are after
/// the watcher lost events.
fn forget_changed(build: &BuildOptions, event: &notify::Result<notify::Event>) {
    use notify::event::{AccessKind, AccessMode, EventKind};
    let Some(texts) = &build.texts else { return };
    match event {
        Ok(e) if e.need_rescan() => texts.clear(),
        Ok(e) => match e.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                e.paths.iter().for_each(|p| texts.forget(p))
            }
            EventKind::Access(_) => {}
            _ => e.paths.iter().for_each(|p| texts.forget(p)),
        },
        Err(_) => texts.clear(),
    }
}

/// Editors' swap and backup files do not trigger a rebuild.
fn relevant(event: &notify::Event) -> bool {
    use notify::EventKind;
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !(name.starts_with(".#") || name.ends_with('~') || name.ends_with(".swp"))
    })
}

fn respond(request: Request, live: &Live) {
    let host_ok = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .is_some_and(|h| {
            let v = h.value.as_str().to_ascii_lowercase();
            live.hosts.contains(&v)
        });
    if !host_ok {
        let _ = request.respond(
            Response::from_string("forbidden: the preview answers only to its own address")
                .with_status_code(403),
        );
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if raw == VERSION_PATH {
        let body = live.version.load(Ordering::SeqCst).to_string();
        let _ = request.respond(
            Response::from_string(body)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        );
        return;
    }
    let problems = live.problems.read().ok().and_then(|p| p.clone());
    let files = match live.files.read() {
        Ok(f) => f.clone(),
        Err(_) => return,
    };
    if let Some(page) = problems {
        // Pages (not their pictures or styles) show the problems.
        let last = raw.rsplit('/').next().unwrap_or("");
        if last.is_empty() || last.ends_with(".html") || !last.contains('.') {
            let _ = request.respond(
                Response::from_data(inject_reload(page.into_bytes()))
                    .with_status_code(500)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-store")),
            );
            return;
        }
    }
    // A memo asked for while the memos are being set is waited for.
    let files = if resolve(&files, &raw).is_none() && is_memo(raw.trim_start_matches('/')) {
        wait_for_memos(live).unwrap_or(files)
    } else {
        files
    };
    let (status, key) = match resolve(&files, &raw) {
        Some(key) => (200, key),
        None => (404, "404.html".to_string()),
    };
    let Some(bytes) = files.get(&key) else {
        let _ = request.respond(Response::from_string("not found").with_status_code(404));
        return;
    };
    let kind = content_type(Path::new(&key));
    let body = if kind.starts_with("text/html") {
        inject_reload(bytes.to_vec())
    } else {
        bytes.to_vec()
    };
    let _ = request.respond(
        Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store")),
    );
}

/// Whether the site path `key` (no leading `/`) is a memo's: those come
/// after the pages.
fn is_memo(key: &str) -> bool {
    key.starts_with("memos/")
}

/// The files served once the memos being set are in (at most two minutes
/// later); `None` when none were being set.
fn wait_for_memos(live: &Live) -> Option<Arc<Files>> {
    let until = Instant::now() + Duration::from_secs(120);
    let mut waited = false;
    while live.memos_pending.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(25));
        waited = true;
    }
    if !waited {
        return None;
    }
    live.files.read().ok().map(|f| f.clone())
}

/// Maps a URL path to a file of the site: percent-decoded, folders to their
/// `index.html`, nothing outside the site.
fn resolve(files: &Files, url_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let key = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if files.contains_key(&key) {
        return Some(key);
    }
    let index = if key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{key}/index.html")
    };
    files.contains_key(&index).then_some(index)
}

/// The page shown while the project has problems: each as the terminal
/// prints it, `path:line:col: message` with its hint.
fn overlay(diags: &Diagnostics) -> String {
    let mut list = String::new();
    for e in diags.errors() {
        list.push_str(&format!(
            "<li><pre>{}</pre></li>\n",
            crate::markdown::escape(&e.to_string())
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>orepress: problems to fix</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d232b}}\
h1{{color:#8a1c1c}}li{{margin:.5rem 0;list-style:none}}pre{{white-space:pre-wrap;background:#fbeaea;border-left:4px solid #8a1c1c;padding:.75rem 1rem;margin:0}}</style></head>\
<body><h1>The preview is waiting for a fix</h1><p>orepress found {} problem{} in the project. Fix {} and save: this page reloads by itself.</p><ol>\n{list}</ol></body></html>\n",
        diags.errors().count(),
        if diags.errors().count() == 1 { "" } else { "s" },
        if diags.errors().count() == 1 { "it" } else { "them" },
    )
}

/// Opens `url` in the default browser, without waiting for it.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        tell!("Could not open a browser; open {url} yourself");
    }
}

fn inject_reload(body: Vec<u8>) -> Vec<u8> {
    let html = String::from_utf8_lossy(&body);
    match html.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_SCRIPT}{}", &html[..i], &html[i..]).into_bytes(),
        None => body,
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "xml" => "application/xml; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

fn io_problem(message: String) -> Diagnostics {
    Error::msg(Kind::Io, message).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_files_inside_the_site_only() {
        let files: Files = ["index.html", "briefs/a b/index.html", "style.css"]
            .into_iter()
            .map(|k| (k.to_string(), Arc::new(Vec::new())))
            .collect();
        assert_eq!(resolve(&files, "/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve(&files, "/briefs/a%20b/").as_deref(),
            Some("briefs/a b/index.html")
        );
        assert_eq!(
            resolve(&files, "/briefs/a%20b").as_deref(),
            Some("briefs/a b/index.html")
        );
        assert_eq!(resolve(&files, "/style.css").as_deref(), Some("style.css"));
        assert_eq!(resolve(&files, "/missing/"), None);
        assert_eq!(resolve(&files, "/../index.html"), None);
        assert_eq!(resolve(&files, "/%2e%2e/index.html"), None);
    }

    #[test]
    fn reload_script_goes_before_the_end_of_body() {
        let page = inject_reload(b"<html><body><p>x</p></body></html>".to_vec());
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with(&format!("<p>x</p>{RELOAD_SCRIPT}</body></html>")));
        assert_eq!(inject_reload(b"plain".to_vec()), b"plain");
    }
}
