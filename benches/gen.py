#!/usr/bin/env python3
"""Generates a synthetic orepress project for benchmarks.

    python3 benches/gen.py N OUT [--memos K] [--large KIND]

writes OUT/content/ with N briefs of about 800 words each (headings, a
list, a Markdown table, links, tags, a deal reference), N/10 deals (at
least 3), two contacts, a data table and an about page. Only the first K
briefs (default: all) get a PDF memo; the others say `pdf: false`, so a
site of 10,000 briefs can be built without 10,000 memos.

The output depends only on the arguments (fixed seed): the same N gives the
same files, byte for byte. OUT must not exist or be empty.

With --large, the first brief's body is instead about 7.5 MB
(--large-bytes) of one shape: one paragraph, one table of three columns,
one list, lists nested four deep, quoted paragraphs, or short sections
under headings. It measures the memory a memo of a very large brief
needs, as a multiple of its text.
"""

import argparse
import os
import random
import sys

WORDS = (
    "antimony tungsten copper gold lithium cobalt nickel graphite rare earth "
    "concession licence royalty offtake smelter refinery concentrate ore grade "
    "tonnage reserve resource drilling survey permit province district basin "
    "investor buyer lender equity debt tranche escrow guarantee tariff export "
    "control corridor railway port road power water community security audit "
    "schedule milestone feasibility study pilot plant capacity throughput "
    "price market demand supply chain partner agreement memorandum framework "
    "government ministry authority board venture project phase scope risk "
    "return margin capital operating cost contract term clause dispute "
    "arbitration jurisdiction insurance bond yield coupon rating outlook"
).split()
GLUE = "the a of in for to and with on by from under over at as".split()
TAGS = [f"topic-{i}" for i in range(30)]
REGIONS = ["Balochistan", "Khyber Pakhtunkhwa", "Gilgit-Baltistan", "Punjab", "Sindh"]


def sentence(rng, n=None):
    n = n or rng.randint(9, 18)
    words = []
    for i in range(n):
        words.append(rng.choice(GLUE) if i % 3 == 1 else rng.choice(WORDS))
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def paragraph(rng, links=0, sentences=5):
    parts = [sentence(rng) for _ in range(sentences)]
    for _ in range(links):
        i = rng.randrange(len(parts))
        word = rng.choice(WORDS)
        parts[i] = parts[i][:-1] + f", see [{word} report](https://example.org/{word}/{rng.randint(1, 999)})."
    return " ".join(parts)


def brief(rng, i, deals, memo):
    deal = deals[i % len(deals)]
    tags = sorted(set(rng.sample(TAGS, 3)))
    y, m, d = 2020 + i % 6, 1 + i % 12, 1 + i % 28
    body = [
        "## Overview",
        "",
        paragraph(rng, links=1, sentences=6),
        "",
        paragraph(rng, sentences=5),
        "",
        "## Key points",
        "",
    ]
    body += [f"- {sentence(rng, 8)}" for _ in range(5)]
    body += [
        "",
        "## Figures",
        "",
        paragraph(rng, sentences=3),
        "",
        "| Item | Quantity | Note |",
        "|---|---:|---|",
    ]
    body += [
        f"| {rng.choice(WORDS).capitalize()} {k} | {rng.randint(10, 99_999):,} | {rng.choice(WORDS)} {rng.choice(WORDS)} |"
        for k in range(1, 7)
    ]
    body += [
        "",
        "## Assessment",
        "",
        paragraph(rng, links=1, sentences=7),
        "",
        paragraph(rng, sentences=6),
        "",
        paragraph(rng, sentences=4),
        "",
        "### Risks",
        "",
        paragraph(rng, links=1, sentences=6),
        "",
        "## Next steps",
        "",
        paragraph(rng, sentences=6),
        "",
        paragraph(rng, links=1, sentences=4),
        "",
    ]
    title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
    front = [
        "---",
        f"title: Brief {i:05d} {title}",
        f"summary: {sentence(rng, 16)}",
        f"date: {y:04d}-{m:02d}-{d:02d}",
        "author: ana-example",
        f"deals: [{deal}]",
        f"tags: [{', '.join(tags)}]",
    ]
    if not memo:
        front.append("pdf: false")
    front.append("---")
    return "\n".join(front + body)


def deal(rng, i):
    region = REGIONS[i % len(REGIONS)]
    return f"""title: Deal {i:04d} {rng.choice(WORDS)} {rng.choice(WORDS)}
status: mou
announced: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}
parties:
  - {{ name: Buyer {i} Corp, role: buyer, country: US }}
  - {{ name: Seller {i} Ltd, role: seller, country: PK }}
minerals: [antimony]
value: {{ amount: {(i + 1) * 1_000_000}, currency: USD, note: reported }}
location: {{ region: {region}, country: PK, lat: {25 + i % 10}.5, lon: {62 + i % 10}.0 }}
sources:
  - title: "Example News: deal {i}"
    url: https://example.org/news/deal-{i}
    date: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}
"""


SITE = """title: Synthetic Project
tagline: Generated briefs for benchmarks
description: A generated project to measure orepress.
base_url: https://example.org/bench/
language: en-US
default_country: PK
contact: ana-example
brand:
  name: Benchfirm
  primary: "#0f4c45"
  accent: "#b4914b"
legal:
  confidentiality: Confidential to the named recipient.
"""

CONTACTS = {
    "ana-example": """name: Ana Example
title: Partner
organization: Benchfirm
phones:
  - { number: "+1 202 555 0143", label: Office, whatsapp: true }
  - { number: "0333 1717170", label: Mobile }
email: ana@example.org
website: https://example.org/
languages: [English, Urdu]
""",
    "bilal-example": """name: Bilal Example
title: Analyst
organization: Benchfirm
phones:
  - { number: "051 2345678", label: Office }
email: bilal@example.org
""",
}

DATA = """title: Antimony price
source: Example Metals Survey
source_url: https://example.org/prices
as_of: 2025-06-24
unit: US$ per tonne
columns:
  - { key: date, label: Date }
  - { key: price, label: Price, align: right }
rows:
  - { date: "May 2023", price: "12,000" }
  - { date: "May 2024", price: "25,000" }
  - { date: "May 2025", price: "59,000" }
"""

ABOUT = """---
title: About
description: About this generated project.
---
Generated for benchmarks; nothing here is true.
"""


LARGE = ("paragraph", "table", "list", "nested", "quotes", "headings")


def large_body(rng, kind, size):
    """About `size` bytes of one paragraph, one table's rows, one list's
    items, lists nested four deep, quoted paragraphs or short sections."""
    parts, total = [], 0
    if kind == "table":
        parts.append("| Item | Quantity | Note |\n|---|---:|---|\n")
    i = 0
    while total < size:
        if kind == "table":
            w = rng.sample(WORDS, 3)
            part = f"| {w[0]} {i} | {rng.randrange(100000):,} | {w[1]} {w[2]} |\n"
        elif kind == "list":
            part = f"- {sentence(rng, 8)}\n"
        elif kind == "nested":
            part = "  " * (i % 4) + f"- {sentence(rng, 6)}\n"
        elif kind == "quotes":
            part = f"> {sentence(rng)}\n\n"
        elif kind == "headings":
            part = f"## {sentence(rng, 4)[:-1]}\n\n{sentence(rng)}\n\n"
        else:
            part = rng.choice(WORDS) + " "
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts).rstrip() + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of briefs")
    p.add_argument("out", help="project folder to create")
    p.add_argument("--memos", type=int, default=None, help="briefs with a memo (default: all)")
    p.add_argument("--large", choices=LARGE, help="the first brief's body: one huge paragraph, table, list, nested list, run of quotes or of sections")
    p.add_argument("--large-bytes", type=int, default=7_500_000, help="its size (default 7,500,000)")
    a = p.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out} exists and is not empty")
    memos = a.n if a.memos is None else a.memos
    rng = random.Random(20250101 + a.n)
    c = os.path.join(a.out, "content")
    write(os.path.join(c, "site.yaml"), SITE)
    for slug, text in CONTACTS.items():
        write(os.path.join(c, "contacts", f"{slug}.yaml"), text)
    write(os.path.join(c, "data", "prices.yaml"), DATA)
    write(os.path.join(c, "pages", "about.md"), ABOUT)
    deals = [f"deal-{i:04d}" for i in range(max(3, a.n // 10))]
    for i, d in enumerate(deals):
        write(os.path.join(c, "deals", f"{d}.yaml"), deal(rng, i))
    for i in range(a.n):
        text = brief(rng, i, deals, i < memos)
        if i == 0 and a.large:
            # The generated front matter, then the large body.
            front = text[: text.index("\n---\n", 4) + 5]
            text = front + "\n" + large_body(rng, a.large, a.large_bytes)
        write(os.path.join(c, "briefs", f"brief-{i:05d}.md"), text)


if __name__ == "__main__":
    main()
