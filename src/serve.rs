//! `orepress serve`: a local preview. Builds the project into a private
//! folder with the base URL pointed at the preview server, serves it, and
//! rebuilds when anything under `content/`, `templates/` or `themes/`
//! changes. Pages reload themselves after a successful rebuild; a failed
//! rebuild prints its problems and the last good build stays up.
//!
//! The reload script is added to pages as they are served, never to the
//! files a build writes: the published site needs no JavaScript.

use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
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
}

/// Path the pages poll for the build number.
const VERSION_PATH: &str = "/__orepress/version";

/// Polls the build number and reloads the page when it changes.
const RELOAD_SCRIPT: &str = r#"<script>(()=>{let v;setInterval(()=>fetch("/__orepress/version").then(r=>r.text()).then(t=>{if(v&&t!==v)location.reload();v=t}).catch(()=>{}),800)})();</script>"#;

/// Builds, serves and watches until the process is stopped. Returns only
/// on a problem that stops the preview (the first build failing, the port
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

    remove_stale_previews();
    let out = std::env::temp_dir().join(format!("orepress-serve-{}", std::process::id()));
    let build = BuildOptions {
        root: opts.root.clone(),
        out: out.clone(),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        site: true,
        memos: true,
        jobs: None,
    };
    let summary = pipeline::build(&build)?;
    crate::cli::print_diagnostics(&summary.warnings);
    println!(
        "Built {} pages and {} memos in {} ms",
        summary.pages, summary.memos, summary.millis
    );

    let version = Arc::new(AtomicU64::new(1));
    let site = out.join("site");
    let server = Arc::new(server);
    for _ in 0..4 {
        let (server, site, version) = (server.clone(), site.clone(), version.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                respond(request, &site, &version);
            }
        });
    }
    println!("Serving {url} (Ctrl-C to stop); watching for changes");

    watch(opts, &build, &version)
}

/// A preview stopped with Ctrl-C leaves its temporary build behind; the
/// next preview removes those whose process is gone.
fn remove_stale_previews() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("orepress-serve-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Watches the project and rebuilds on change.
fn watch(
    opts: &ServeOptions,
    build: &BuildOptions,
    version: &AtomicU64,
) -> Result<(), Diagnostics> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| io_problem(format!("cannot watch the project for changes: {e}")))?;
    let mut watched = 0;
    for dir in ["content", "templates", "themes"] {
        let path = opts.root.join(dir);
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
    loop {
        // Wait for a change, then let a burst of events (an editor saving
        // through a temporary file) settle before rebuilding once.
        match rx.recv() {
            Ok(Ok(event)) if relevant(&event) => {}
            Ok(_) => continue,
            Err(_) => return Ok(()),
        }
        let settle = Instant::now() + Duration::from_millis(120);
        while let Some(left) = settle.checked_duration_since(Instant::now()) {
            if rx.recv_timeout(left).is_err() {
                break;
            }
        }
        match pipeline::build(build) {
            Ok(summary) => {
                crate::cli::print_diagnostics(&summary.warnings);
                let n = version.fetch_add(1, Ordering::SeqCst) + 1;
                println!("Rebuilt in {} ms (build {n})", summary.millis);
            }
            Err(diags) => {
                crate::cli::print_diagnostics(&diags);
                eprintln!("Rebuild failed; still serving the last good build");
            }
        }
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

fn respond(request: Request, site: &Path, version: &AtomicU64) {
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
        let body = version.load(Ordering::SeqCst).to_string();
        let _ = request.respond(
            Response::from_string(body)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        );
        return;
    }
    let (status, path) = match resolve(site, &raw) {
        Some(path) => (200, path),
        None => (404, site.join("404.html")),
    };
    let Ok(mut body) = std::fs::read(&path) else {
        let _ = request.respond(Response::from_string("not found").with_status_code(404));
        return;
    };
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        body = inject_reload(body);
    }
    let _ = request.respond(
        Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store")),
    );
}

/// Maps a URL path to a file of the site: percent-decoded, folders to their
/// `index.html`, nothing outside the site folder.
fn resolve(site: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut path = site.join(rel);
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
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
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        std::fs::create_dir_all(site.join("briefs/a b")).unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("briefs/a b/index.html"), "brief").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        assert_eq!(resolve(site, "/"), Some(site.join("index.html")));
        assert_eq!(
            resolve(site, "/briefs/a%20b/"),
            Some(site.join("briefs/a b/index.html"))
        );
        assert_eq!(resolve(site, "/missing/"), None);
        assert_eq!(resolve(site, "/../secret.txt"), None);
        assert_eq!(resolve(site, "/%2e%2e/secret.txt"), None);
    }

    #[test]
    fn reload_script_goes_before_the_end_of_body() {
        let page = inject_reload(b"<html><body><p>x</p></body></html>".to_vec());
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with(&format!("<p>x</p>{RELOAD_SCRIPT}</body></html>")));
        assert_eq!(inject_reload(b"plain".to_vec()), b"plain");
    }
}
