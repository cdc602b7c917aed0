#!/usr/bin/env python3
"""Checks the built example site the way a host and a visitor meet it.

Usage: site_check.py SITE_DIR BASE_PATH SHOTS_DIR

SITE_DIR must have been built with base_url http://127.0.0.1:<port><BASE_PATH>
where <port> is given by the SITE_PORT environment variable (default 8765).
The site is served from a parent folder so that BASE_PATH (a sub-path, as on
a GitHub project site) is exercised for real.

1. A crawler starts at the home page and follows every link and asset:
   each internal URL must answer 200 and each #fragment must exist.
   Pages may carry no script other than JSON-LD.
2. Headless Chromium (DevTools protocol) loads every page at 360, 390 and
   1280 px: no console errors, no failed requests, no horizontal overflow
   and every tap target in navigation and buttons at least 24 px; at 390
   and 1280 px axe-core (path in AXE_JS) reports no violation of any rule.
   Full-page screenshots of home, a brief and contact go to SHOTS_DIR.
3. atom.xml parses as Atom, sitemap.xml as a sitemap, every .vcf as vCard 3.0.
"""

import base64
import functools
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg, flush=True)


# ---------------------------------------------------------------- serving


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root, port):
    handler = functools.partial(QuietHandler, directory=root)
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


# ---------------------------------------------------------------- crawler


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # (attr, url)
        self.ids = set()
        self.scripts = []  # type attribute of each <script>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "script":
            self.scripts.append(a.get("type", ""))
        for key in ("href", "src"):
            if a.get(key):
                self.links.append((f"<{tag} {key}>", a[key]))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                url = part.strip().split(" ")[0]
                if url:
                    self.links.append((f"<{tag} srcset>", url))


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, "", b""
    except Exception as e:  # noqa: BLE001 - report any failure as a broken link
        return 0, str(e), b""


def crawl(start, origin):
    """Returns the list of HTML page URLs reached from `start`."""
    seen = {}
    pages = []
    fragments = []  # (from_page, target_url, fragment)
    queue = [(start, "start")]
    parsed_ids = {}
    while queue:
        url, source = queue.pop(0)
        if url in seen:
            continue
        status, ctype, body = fetch(url)
        seen[url] = status
        if status != 200:
            fail(f"{url} (linked from {source}) answered {status} {ctype}")
            continue
        if "text/html" not in ctype:
            continue
        pages.append(url)
        p = LinkParser()
        p.feed(body.decode("utf-8"))
        parsed_ids[url] = p.ids
        for t in p.scripts:
            if t != "application/ld+json":
                fail(f"{url}: a <script> that is not JSON-LD (type={t!r}); pages must need no JavaScript")
        for attr, link in p.links:
            if link.startswith(("mailto:", "tel:")):
                continue
            if link.startswith("javascript:"):
                fail(f"{url}: javascript: URL in {attr}")
                continue
            absolute = urllib.parse.urljoin(url, link)
            parts = urllib.parse.urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                if parts.scheme not in ("http", "https"):
                    fail(f"{url}: unexpected link scheme in {attr}: {link}")
                continue  # external: not fetched on a closed network
            target = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
            if parts.fragment:
                fragments.append((url, target, urllib.parse.unquote(parts.fragment)))
            if target not in seen:
                queue.append((target, url))
    for page, target, frag in fragments:
        ids = parsed_ids.get(target)
        if ids is not None and frag not in ids:
            fail(f"{page}: link to {target}#{frag} but no element has that id")
    return pages


# ---------------------------------------------------------------- chromium


class Browser:
    def __init__(self):
        import websocket  # websocket-client

        self.profile = tempfile.mkdtemp()
        self.port = 9333
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                "--remote-allow-origins=*",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ws_url = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=2) as r:
                    targets = [t for t in json.load(r) if t.get("type") == "page"]
                if targets:
                    ws_url = targets[0]["webSocketDebuggerUrl"]
                    break
            except Exception:  # noqa: BLE001 - Chromium still starting
                pass
            time.sleep(0.2)
        if not ws_url:
            raise SystemExit("Chromium did not start its DevTools endpoint")
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0
        self.events = []
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            self.call(method)

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.settimeout(60)
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, event, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e["method"] == event:
                    del self.events[: i + 1]
                    return True
            self.ws.settimeout(max(0.1, deadline - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except Exception:  # noqa: BLE001 - timeout
                return False
        return False

    def viewport(self, width, height=900):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def evaluate(self, expr):
        res = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        return res.get("result", {}).get("value")

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


# WCAG 2.2 SC 2.5.8 (target size, minimum): a link or control is at least
# 24 x 24 CSS px, or a 24 px circle centred on it touches no other target
# (nor another undersized target's circle), or it sits in a sentence.
TAP_TARGETS_JS = r"""
(() => {
  const all = [];
  for (const el of document.querySelectorAll('a[href], button, summary, input, select')) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if ((r.width === 0 && r.height === 0) || style.visibility === 'hidden') continue;
    all.push({el, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2,
              small: r.width < 24 || r.height < 24});
  }
  const inline = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    return block && block.textContent.trim().length > el.textContent.trim().length + 1;
  };
  const hits = (t, o) => {
    const x = Math.max(o.r.left, Math.min(t.cx, o.r.right));
    const y = Math.max(o.r.top, Math.min(t.cy, o.r.bottom));
    return Math.hypot(t.cx - x, t.cy - y) < 12;
  };
  const bad = [];
  for (const t of all) {
    if (!t.small || inline(t.el) || t.el.closest('.skip-link')) continue;
    const clash = all.find(o => o !== t && o.el !== t.el && (hits(t, o) ||
      (o.small && Math.hypot(t.cx - o.cx, t.cy - o.cy) < 24)));
    if (clash) {
      bad.push(`${t.el.tagName.toLowerCase()} "${t.el.textContent.trim().slice(0, 40)}" ` +
        `${Math.round(t.r.width)}x${Math.round(t.r.height)} next to "${clash.el.textContent.trim().slice(0, 30)}"`);
    }
  }
  return bad;
})()
"""


AXE_RUN_JS = r"""
axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>
  `${v.id} (${v.impact}): ${v.help}: ` +
  v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')).join(' | ')))
"""


def axe_violations(browser, axe_js):
    browser.call("Runtime.evaluate", expression=axe_js)
    res = browser.call(
        "Runtime.evaluate", expression=AXE_RUN_JS, awaitPromise=True, returnByValue=True
    )
    if "exceptionDetails" in res:
        return [f"axe-core did not run: {res['exceptionDetails'].get('text')}"]
    return res.get("result", {}).get("value") or []


def check_in_browser(pages, shots_dir, shot_pages):
    axe_path = os.environ.get("AXE_JS")
    if not axe_path or not os.path.isfile(axe_path):
        fail(f"axe-core not found: set AXE_JS to axe.min.js (got {axe_path!r})")
        axe_js = None
    else:
        with open(axe_path, encoding="utf-8") as f:
            axe_js = f.read()
    browser = Browser()
    try:
        for width in (360, 390, 1280):
            browser.viewport(width)
            for url in pages:
                browser.events.clear()
                browser.call("Page.navigate", url=url)
                if not browser.wait_for("Page.loadEventFired"):
                    fail(f"{url} @{width}px: did not finish loading")
                    continue
                browser.wait_for("__settle__", timeout=0.3)
                for e in browser.events:
                    m, p = e["method"], e.get("params", {})
                    if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                        fail(f"{url} @{width}px: console error: {p.get('args')}")
                    elif m == "Runtime.exceptionThrown":
                        fail(f"{url} @{width}px: exception: {p.get('exceptionDetails', {}).get('text')}")
                    elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                        fail(f"{url} @{width}px: {p['entry'].get('text')} {p['entry'].get('url', '')}")
                    elif m == "Network.loadingFailed" and not p.get("canceled"):
                        fail(f"{url} @{width}px: request failed: {p.get('errorText')}")
                    elif m == "Network.responseReceived" and p["response"]["status"] >= 400:
                        fail(f"{url} @{width}px: {p['response']['url']} answered {p['response']['status']}")
                overflow = browser.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow and overflow > 1:
                    fail(f"{url} @{width}px: page is {overflow}px wider than the viewport")
                small = browser.evaluate(TAP_TARGETS_JS) or []
                for s in small:
                    fail(f"{url} @{width}px: tap target under 24px: {s}")
                if axe_js and width in (390, 1280):
                    for v in axe_violations(browser, axe_js):
                        fail(f"{url} @{width}px: axe: {v}")
                name = shot_pages.get(url)
                if name:
                    height = browser.evaluate("document.documentElement.scrollHeight") or 900
                    browser.viewport(width, min(int(height), 12000))
                    shot = browser.call("Page.captureScreenshot", format="png")
                    path = os.path.join(shots_dir, f"{name}-{width}.png")
                    with open(path, "wb") as f:
                        f.write(base64.b64decode(shot["data"]))
                    browser.viewport(width)
            checked = " and checked with axe-core" if axe_js and width in (390, 1280) else ""
            print(f"   chromium @{width}px: {len(pages)} pages loaded{checked}", flush=True)
    finally:
        browser.close()


# ---------------------------------------------------------------- feeds and cards

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def check_atom(path, base):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f"atom.xml is not XML: {e}")
        return
    if root.tag != ATOM + "feed":
        fail(f"atom.xml root is {root.tag}, not an Atom feed")
        return
    for req in ("id", "title", "updated"):
        if root.find(ATOM + req) is None or not (root.find(ATOM + req).text or "").strip():
            fail(f"atom.xml: feed has no <{req}>")
    self_links = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
    if not self_links or self_links[0].get("href") != base + "atom.xml":
        fail(f"atom.xml: rel=self must be {base}atom.xml")
    entries = root.findall(ATOM + "entry")
    if not entries:
        fail("atom.xml has no entries")
    for e in entries:
        for req in ("id", "title", "updated"):
            if e.find(ATOM + req) is None:
                fail(f"atom.xml: an entry has no <{req}>")
        alt = [l.get("href") for l in e.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        if not alt or not alt[0].startswith(base):
            fail(f"atom.xml: entry link {alt} is not under {base}")
        if root.find(ATOM + "author") is None and e.find(ATOM + "author") is None:
            fail("atom.xml: an entry has no author (RFC 4287 4.1.1)")
    try:
        import feedparser

        parsed = feedparser.parse(path)
        if parsed.bozo:
            fail(f"atom.xml: feedparser: {parsed.bozo_exception}")
        elif parsed.version != "atom10":
            fail(f"atom.xml: feedparser reads it as {parsed.version!r}")
    except ImportError:
        pass
    print(f"   atom.xml: {len(entries)} entries", flush=True)


def check_sitemap(path, base, site_dir):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f"sitemap.xml is not XML: {e}")
        return []
    if root.tag != SM + "urlset":
        fail(f"sitemap.xml root is {root.tag}, not a sitemap urlset")
        return []
    locs = []
    for url in root.findall(SM + "url"):
        loc = url.find(SM + "loc")
        if loc is None or not loc.text:
            fail("sitemap.xml: a <url> without <loc>")
            continue
        locs.append(loc.text)
        if not loc.text.startswith(base):
            fail(f"sitemap.xml: {loc.text} is not under {base}")
            continue
        rel = loc.text[len(base):]
        file = os.path.join(site_dir, rel, "index.html") if rel == "" or rel.endswith("/") else os.path.join(site_dir, rel)
        if not os.path.isfile(file):
            fail(f"sitemap.xml: {loc.text} has no page ({file})")
        lastmod = url.find(SM + "lastmod")
        if lastmod is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:]+(Z|[+-]\d\d:\d\d))?", lastmod.text or ""):
            fail(f"sitemap.xml: bad lastmod {lastmod.text!r}")
    if not any(l.endswith("/briefs/") or "/briefs/" in l for l in locs):
        fail("sitemap.xml lists no brief")
    robots = open(os.path.join(site_dir, "robots.txt"), encoding="utf-8").read()
    if f"Sitemap: {base}sitemap.xml" not in robots:
        fail("robots.txt does not point to the sitemap")
    print(f"   sitemap.xml: {len(locs)} URLs", flush=True)
    return locs


def check_vcards(site_dir):
    import vobject

    paths = []
    for dirpath, _, files in os.walk(site_dir):
        paths += [os.path.join(dirpath, f) for f in files if f.endswith(".vcf")]
    if not paths:
        fail("no .vcf contact card in the site")
    for path in paths:
        text = open(path, encoding="utf-8", newline="").read()
        try:
            card = vobject.readOne(text)
        except Exception as e:  # noqa: BLE001 - any parse error is a failure
            fail(f"{path}: not a vCard: {e}")
            continue
        if card.version.value != "3.0":
            fail(f"{path}: VERSION {card.version.value}, expected 3.0")
        for req in ("fn", "n"):
            if req not in card.contents:
                fail(f"{path}: no {req.upper()}")
        for tel in card.contents.get("tel", []):
            if not re.fullmatch(r"\+[1-9]\d{6,14}", tel.value):
                fail(f"{path}: TEL {tel.value!r} is not E.164")
            if not tel.params.get("TYPE"):
                fail(f"{path}: TEL {tel.value} has no TYPE")
        if "\r\n" not in text:
            fail(f"{path}: lines must end in CRLF (RFC 2425)")
    print(f"   vCards: {len(paths)} parsed", flush=True)


# ---------------------------------------------------------------- main


def main():
    site_dir, base_path, shots_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    port = int(os.environ.get("SITE_PORT", "8765"))
    if not base_path.startswith("/") or not base_path.endswith("/"):
        raise SystemExit("BASE_PATH must start and end with /")
    os.makedirs(shots_dir, exist_ok=True)
    origin = f"http://127.0.0.1:{port}"
    base = origin + base_path

    # Mount the site at its sub-path.
    root = tempfile.mkdtemp()
    mount = os.path.join(root, base_path.strip("/"))
    os.makedirs(os.path.dirname(mount), exist_ok=True)
    os.symlink(os.path.abspath(site_dir), mount)
    httpd = serve(root, port)

    print("== site: atom, sitemap, vCards", flush=True)
    check_atom(os.path.join(site_dir, "atom.xml"), base)
    locs = check_sitemap(os.path.join(site_dir, "sitemap.xml"), base, site_dir)
    check_vcards(site_dir)

    print("== site: crawling every link from the home page", flush=True)
    pages = crawl(base, origin)
    print(f"   {len(pages)} pages reached", flush=True)
    for loc in locs:
        if loc not in pages:
            fail(f"sitemap URL {loc} is not reachable by links from the home page")
    # Python's server has no 404 page mapping; the file must exist for hosts that do.
    if not os.path.isfile(os.path.join(site_dir, "404.html")):
        fail("no 404.html")
    pages.append(base + "404.html")

    print("== site: Chromium at 360, 390 and 1280 px", flush=True)
    briefs = sorted(p for p in pages if "/briefs/" in p and not p.endswith("/briefs/"))
    shot_pages = {base: "home", base + "contact/": "contact"}
    if briefs:
        shot_pages[briefs[0]] = "brief"
    check_in_browser(pages, shots_dir, shot_pages)
    httpd.shutdown()

    if FAILURES:
        print(f"{len(FAILURES)} site problem(s)")
        sys.exit(1)
    print(f"site checks passed; screenshots in {shots_dir}")


if __name__ == "__main__":
    main()
