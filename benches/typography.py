#!/usr/bin/env python3
"""Measures the typography of a PDF's continuous prose.

Usage: python3 benches/typography.py [--worst N] memo.pdf [other.pdf ...]
       python3 benches/typography.py --json memo.pdf
       python3 benches/typography.py typst brief.md out.typ [fonts-dir]

The second form writes a Typst file with the brief's headings, paragraphs
and lists (tables, code and images left out), justified, with the memo's
page size, margins, font and size, for a side-by-side comparison:
`python3 -c "import typst; typst.compile('out.typ', output='out.pdf',
font_paths=['themes/default/fonts'])"`.

Reads `pdftotext -bbox-layout` (poppler-utils) and reports, over the body
pages (pages with at least ten lines of the body text size):

* hyphenated line ends per body page (a line ending in "-", U+2010 or a
  soft hyphen), and how many of them come in runs (two lines in a row);
* hyphens at the foot of a page;
* fragments: a paragraph's last line of a single word after a hyphen;
* justified word gaps as a share of the natural space (the median gap of
  paragraphs' last lines): median, 95th percentile, maximum;
* with `--worst N`, the N loosest justified lines of each PDF (gap as
  a share of the natural space, body page, text), to find what causes
  the 95th percentile;
* overfull lines: past the right edge of the text (the most common line
  end) by more than 0.5 pt, or 4 pt for a line ending in punctuation
  (hanging punctuation is not overfull).

Only lines of the body text size count (the most common height of lines
wider than 60 % of the text), so
headings, tables in a smaller size, running headers and footers are left
out. No dependencies beyond python3 and pdftotext.
"""

import re
import subprocess
import sys
from collections import Counter
from html import unescape

HYPHENS = ("-", "\u2010", "\u00ad")
LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def pages_of(pdf):
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", pdf, "-"], check=True, capture_output=True
    ).stdout.decode("utf-8", "replace")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S):
        blocks = []
        for block in re.findall(r"<block [^>]*>(.*?)</block>", page, re.S):
            lines = []
            for m in LINE.finditer(block):
                words = [
                    (float(w[0]), float(w[2]), unescape(w[4]))
                    for w in WORD.findall(m.group(5))
                ]
                if words:
                    x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
                    lines.append({"x0": x0, "x1": x1, "y": y0, "h": round(y1 - y0, 1), "words": words})
            if lines:
                blocks.append(lines)
        pages.append(blocks)
    return pages


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def hyphenated(line):
    return line["words"][-1][2].endswith(HYPHENS) and len(line["words"][-1][2]) > 1


def measure(pdf):
    pages = pages_of(pdf)
    # The body size: the most common height among wide lines (so narrow
    # table cells do not count).
    all_lines = [l for p in pages for b in p for l in b]
    span = max(l["x1"] for l in all_lines) - min(l["x0"] for l in all_lines)
    heights = Counter(l["h"] for l in all_lines if l["x1"] - l["x0"] >= 0.6 * span)
    body_h = heights.most_common(1)[0][0]
    is_body = lambda l: abs(l["h"] - body_h) <= 0.6
    body_pages = []
    for p in pages:
        blocks = [[l for l in b if is_body(l)] for b in p]
        blocks = [b for b in blocks if b]
        if sum(len(b) for b in blocks) >= 10:
            body_pages.append(blocks)
    # The right edge of the text: the most common line end (lines that
    # end in punctuation may hang past it, as Typst's do).
    ends = Counter(round(l["x1"] * 2) / 2 for p in body_pages for b in p for l in b)
    right = ends.most_common(1)[0][0]
    left = min(l["x0"] for p in body_pages for b in p for l in b)
    width = right - left

    def gaps(line):
        w = line["words"]
        return [w[i + 1][0] - w[i][1] for i in range(len(w) - 1)]

    natural = [g for p in body_pages for b in p for g in gaps(b[-1]) if g > 0]
    space = pct(natural, 0.5)
    hyph = runs = foot = frags = overfull = 0
    ratios = []
    lines = []
    for pn, p in enumerate(body_pages, 1):
        flat = [l for b in p for l in sorted(b, key=lambda l: l["y"])]
        if flat and hyphenated(flat[-1]):
            foot += 1
        for b in p:
            for i, l in enumerate(b):
                if hyphenated(l):
                    hyph += 1
                    if i + 1 < len(b) and hyphenated(b[i + 1]):
                        runs += 1
                tail = l["words"][-1][2][-1:]
                if l["x1"] > right + (0.5 if tail.isalnum() else 4.0):
                    overfull += 1
                last = i == len(b) - 1
                if last and i > 0 and hyphenated(b[i - 1]) and (
                    len(l["words"]) == 1 or l["x1"] - l["x0"] < 0.15 * width
                ):
                    frags += 1
                if not last and l["x1"] >= right - 1.0 and len(l["words"]) > 2:
                    g = gaps(l)
                    ratios.append(sum(g) / len(g) / space)
                    lines.append((ratios[-1], pn, " ".join(w[2] for w in l["words"])))
    n = max(len(body_pages), 1)
    return {
        "body pages": len(body_pages),
        "hyphens/page": hyph / n,
        "hyphens": hyph,
        "consecutive": runs,
        "page-foot": foot,
        "fragments": frags,
        "gap median %": 100 * pct(ratios, 0.5),
        "gap p95 %": 100 * pct(ratios, 0.95),
        "gap max %": 100 * max(ratios, default=float("nan")),
        "justified lines": len(ratios),
        "overfull": overfull,
        "_worst": sorted(lines, reverse=True),
    }


def to_typst(md):
    """The prose of a Markdown brief as Typst markup."""
    body = md.split("\n---\n", 1)[1] if md.startswith("---") else md
    out = [
        '#set page(paper: "a4", margin: (top: 24mm, bottom: 26mm, left: 26mm, right: 26mm))',
        '#set text(font: "Noto Serif", size: 10.8pt, lang: "en", region: "GB", hyphenate: true)',
        "#set par(justify: true, leading: 0.62em, spacing: 0.9em)",
        '#show heading: set text(font: "Noto Sans", size: 11.5pt)',
        "",
    ]
    skip = False
    for line in body.splitlines():
        if line.startswith("```"):
            skip = not skip
            continue
        if skip or line.startswith(("|", "![", "[^")):
            continue
        line = re.sub(r"\[\^\d+\]", "", line)
        m = re.match(r"^(#+) (.*)", line)
        if m:
            out.append("=" * (len(m.group(1)) - 1) + " " + m.group(2))
            continue
        for c in "#*@$_<>":
            line = line.replace(c, "\\" + c)
        m = re.match(r"^(\s*)(\d+\.|-) (.*)", line)
        if m:
            marker = "+" if m.group(2)[0].isdigit() else "-"
            out.append(m.group(1) + marker + " " + m.group(3))
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) >= 4 and argv[1] == "typst":
        with open(argv[2], encoding="utf-8") as f:
            typ = to_typst(f.read())
        with open(argv[3], "w", encoding="utf-8") as f:
            f.write(typ)
        return 0
    if len(argv) < 2:
        print(__doc__)
        return 2
    if argv[1:2] == ["--json"]:
        import json
        r = {k: v for k, v in measure(argv[2]).items() if not k.startswith("_")}
        print(json.dumps(r))
        return 0
    worst = 0
    if argv[1:2] == ["--worst"]:
        worst, argv = int(argv[2]), argv[:1] + argv[3:]
    results = [(pdf, measure(pdf)) for pdf in argv[1:]]
    keys = [k for k in results[0][1] if not k.startswith("_")]
    print(f"{'':18}" + "".join(f"{pdf.rsplit('/', 1)[-1][:22]:>24}" for pdf, _ in results))
    for k in keys:
        row = []
        for _, r in results:
            v = r[k]
            row.append(f"{v:24.2f}" if isinstance(v, float) else f"{v:24}")
        print(f"{k:18}" + "".join(row))
    for pdf, r in results if worst else []:
        print(f"\nloosest justified lines of {pdf} (gap %, body page, text):")
        for ratio, page, text in r["_worst"][:worst]:
            print(f"{100 * ratio:6.1f} p{page}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
