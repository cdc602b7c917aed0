#!/usr/bin/env python3
"""Times `orepress serve` on a generated project (benches/gen.py): how long
until the first page is served, and how long after saving one brief until
the preview serves the edited page. Median of several runs; figures are
reported, never asserted.

Usage: python3 benches/serve.py BIN PROJECT [--runs N] [--edit title|body]
"""
import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import time


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
    r = c.getresponse()
    return r.status, r.read().decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("project")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--edit",
        choices=["title", "body"],
        default="title",
        help="what a save changes: the brief's title (its card on the lists"
        " changes too) or a sentence of its body (its page alone changes)",
    )
    a = ap.parse_args()
    briefs = sorted(os.listdir(os.path.join(a.project, "content", "briefs")))
    target = os.path.join(a.project, "content", "briefs", briefs[1])
    slug = briefs[1][:-3]
    starts, reloads = [], []
    for run in range(a.runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(
            [a.bin, "serve", "--port", "0", "--root", a.project],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            port = None
            for line in p.stdout:
                m = re.match(r"Serving http://[^:]+:(\d+)/", line)
                if m:
                    port = int(m.group(1))
                    break
            status, _ = get(port, "/")
            assert status == 200
            starts.append(time.perf_counter() - t0)
            for edit in range(3):
                _, before = get(port, "/__orepress/version")
                mark = f"Edit {run}-{edit}"
                text = open(target).read()
                if a.edit == "title":
                    text = re.sub(r"^title: .*$", f"title: \"{mark}\"", text, count=1, flags=re.M)
                else:
                    # The same number of words each time: the reading time
                    # on the brief's card stays as it was.
                    text = re.sub(r"\n\nEdit \d+-\d+\.\n$", "\n", text)
                    text = text.rstrip("\n") + f"\n\n{mark}.\n"
                t1 = time.perf_counter()
                with open(target, "w") as f:
                    f.write(text)
                while True:
                    _, v = get(port, "/__orepress/version")
                    if v != before:
                        _, page = get(port, f"/briefs/{slug}/")
                        if mark in page:
                            break
                    time.sleep(0.005)
                # The watcher waits for 20 ms without events (a burst of
                # them settling) before it renders: part of what a user
                # waits for.
                reloads.append(time.perf_counter() - t1)
                time.sleep(0.5)
        finally:
            p.terminate()
            p.wait()
    print(f"serve start (first page served): median {statistics.median(starts)*1000:.0f} ms of {len(starts)}")
    print(f"save one brief ({a.edit}) -> edited page served: median {statistics.median(reloads)*1000:.0f} ms of {len(reloads)} (20 ms of it the settle wait), slowest {max(reloads)*1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
