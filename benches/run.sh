#!/usr/bin/env bash
# Benchmarks of whole orepress commands on generated projects (benches/gen.py):
# site only, memos only, full build, personalised copies (100 and 1,000
# recipients) and a rebuild after editing one brief, with --jobs 1 and
# --jobs 2. Each figure is the median of several runs (hyperfine); peak
# memory comes from GNU time. Inputs and outputs live on a tmpfs
# (/dev/shm) so the disk is not measured. When hugo, zola or typst are on
# the PATH they run on the same inputs and their ratios to orepress are
# printed; this script never installs anything.
#
# Figures are reported, never asserted. The table goes to
# docs/PERFORMANCE.md (machine, commands, figures).
#
# Usage: bash benches/run.sh [--bin PATH] [--sizes "100 1000 10000"]
#                            [--runs N] [--doc FILE]
#   --bin    an orepress binary (default: cargo build --release)
#   --sizes  numbers of briefs (default "100 1000 10000")
#   --runs   runs per figure (default 5; 3 for the 10,000-brief project)
#   --doc    where the report goes (default docs/PERFORMANCE.md; - for none)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bin=""
sizes="100 1000 10000"
runs=5
doc=docs/PERFORMANCE.md
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$(realpath "$2"); shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --doc) doc=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "benches/run.sh needs $tool" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "benches/run.sh needs GNU time (/usr/bin/time)" >&2; exit 2; }
if [ -z "$bin" ]; then
  cargo build --release --quiet --locked
  bin=$repo/target/release/orepress
fi
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/orepress-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv
: >"$results"
cores=$(nproc)
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# name, command (shell), optional hyperfine --prepare command
bench() {
  local name=$1 cmd=$2 prepare=${3:-} n=$runs
  case "$name" in *10000*) n=$(( runs < 3 ? runs : 3 )) ;; esac
  local args=(--runs "$n" --warmup 1 --style none --export-json "$work/h.json")
  [ -n "$prepare" ] && args+=(--prepare "$prepare")
  hyperfine "${args[@]}" "$cmd" >/dev/null
  local rss
  [ -n "$prepare" ] && bash -c "$prepare"
  /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" >/dev/null 2>&1 || true
  rss=$(awk '/Maximum resident/ { printf "%.1f", $6 / 1024 }' "$work/time.txt")
  python3 - "$work/h.json" "$name" "$rss" "$cmd" >>"$results" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("\t".join([sys.argv[2], f"{statistics.median(r['times']) * 1e3:.1f}",
                 f"{r['user'] * 1e3:.1f}", f"{r['system'] * 1e3:.1f}", sys.argv[3],
                 str(len(r["times"])), sys.argv[4]]))
PY
  tail -n 1 "$results" | awk -F'\t' '{ printf "%-34s %9s ms  user %9s ms  %7s MB\n", $1, $2, $3, $5 }'
}

echo "== generating projects in $work"
for n in $sizes; do
  # Memos for at most 100 briefs: the larger projects measure the site.
  python3 benches/gen.py "$n" "$work/p$n" --memos $(( n < 100 ? n : 100 ))
done
# 1,000 briefs, each with a memo: the memos alone.
if [ -d "$work/p1000" ]; then
  python3 benches/gen.py 1000 "$work/m1000"
fi
# One brief whose body is a single paragraph, or a single table, of 7.5 MB:
# the memory its memo needs as a multiple of its text.
for kind in paragraph table; do
  python3 benches/gen.py 1 "$work/large-$kind" --large "$kind"
done
first=$(set -- $sizes; echo "$1")
python3 - "$work" <<'PY'
import sys
for n in (100, 1000):
    with open(f"{sys.argv[1]}/r{n}.csv", "w") as f:
        f.write("name,organisation\n")
        for i in range(1, n + 1):
            f.write(f"Investor {i},Example Capital {i}\n")
PY

echo "== orepress ($bin)"
for jobs in 1 2; do
  [ "$jobs" -le "$cores" ] || continue
  for n in $sizes; do
    p=$work/p$n
    bench "site $n briefs, jobs $jobs" "$bin build --root $p --out $work/out --quiet --site-only --jobs $jobs"
    # The same into an empty folder: no previous output to keep files from
    # or to remove.
    if [ "$jobs" = "$cores" ]; then
      bench "site $n briefs, empty output, jobs $jobs" "$bin build --root $p --out $work/out --quiet --site-only --jobs $jobs" "rm -rf $work/out"
    fi
    # --fresh: every memo set again, none taken from the run before.
    bench "full build $n briefs, jobs $jobs" "$bin build --root $p --out $work/out --quiet --fresh --jobs $jobs"
    # A rebuild after one brief changed: its memo is set again, the others
    # are taken from the previous output (the full build just before).
    if [ "$n" -le 1000 ]; then
      edit="python3 -c \"import sys; open(sys.argv[1], 'a').write(' More.')\" $p/content/briefs/brief-00001.md"
      bench "edit one brief + build $n, jobs $jobs" "$bin build --root $p --out $work/out --quiet --jobs $jobs" "$edit"
    fi
  done
  p=$work/p$first
  # Memos only into their own folder: --pdf-only keeps the site part of
  # the previous output, which in $work/out is the largest project's.
  bench "memos $first briefs, jobs $jobs" "$bin build --root $p --out $work/out-memos --quiet --pdf-only --fresh --jobs $jobs"
  if [ -d "$work/m1000" ]; then
    bench "memos 1000 briefs, jobs $jobs" "$bin build --root $work/m1000 --out $work/out-memos --quiet --pdf-only --fresh --jobs $jobs"
  fi
  for r in 100 1000; do
    # copies has no --jobs: its thread pool follows RAYON_NUM_THREADS.
    # Copies are records in the project's copies/ folder: start each run without them.
    bench "copies $r recipients, jobs $jobs" "rm -rf $p/copies && RAYON_NUM_THREADS=$jobs $bin copies brief-00000 --root $p --recipients $work/r$r.csv"
  done
  if [ "$jobs" = "$cores" ]; then
    for kind in paragraph table; do
      bench "memo of a 7.5 MB $kind, jobs $jobs" "$bin build --root $work/large-$kind --out $work/out-memos --quiet --pdf-only --fresh --jobs $jobs"
    done
  fi
done

# serve on the 1,000- and 10,000-brief projects (or the largest one under
# 1,000): time to the first page, and from saving one brief (its title, then
# a sentence of its body) to the edited page served.
serve_sizes=$( (for n in $sizes; do if [ "$n" -le 1000 ]; then echo "$n"; fi; done | tail -n 1
  for n in $sizes; do if [ "$n" -gt 1000 ] && [ "$n" -le 10000 ]; then echo "$n"; fi; done) | sort -un)
serve_out=$work/serve.txt
: >"$serve_out"
for serve_n in $serve_sizes; do
  cp -r "$work/p$serve_n" "$work/serve$serve_n"
  "$bin" build --root "$work/serve$serve_n" --out "$work/serve$serve_n/output" --quiet
  for edit in title body; do
    echo "== serve, $serve_n briefs, $edit edits"
    python3 benches/serve.py "$bin" "$work/serve$serve_n" --runs 3 --edit "$edit" |
      if [ "$edit" = title ]; then cat; else grep -v '^serve start'; fi |
      sed "s/^/$serve_n briefs: /" | tee -a "$serve_out"
  done
  rm -rf "$work/serve$serve_n"
done

# Other generators on the same inputs, when installed. Never downloaded.
others=$work/others.tsv
: >"$others"
other() { # name, orepress figure name, command
  local name=$1 ref=$2 cmd=$3
  if ! bash -c "$cmd" >"$work/other.log" 2>&1; then
    echo "$name failed: $(tail -n 3 "$work/other.log")"
    return
  fi
  hyperfine --runs "$runs" --warmup 1 --style none --export-json "$work/o.json" "$cmd" >/dev/null
  python3 - "$work/o.json" "$results" "$name" "$ref" "$cmd" >>"$others" <<'PY'
import json, statistics, sys
t = statistics.median(json.load(open(sys.argv[1]))["results"][0]["times"]) * 1e3
ref = next((float(l.split("\t")[1]) for l in open(sys.argv[2]) if l.split("\t")[0] == sys.argv[4]), None)
ratio = f"{t / ref:.2f}" if ref else "?"
print("\t".join([sys.argv[3], f"{t:.1f}", sys.argv[4], ratio, sys.argv[5]]))
PY
  tail -n 1 "$others" | awk -F'\t' '{ printf "%-34s %9s ms  %5s x orepress (%s)\n", $1, $2, $4, $3 }'
}
if command -v hugo >/dev/null; then
  echo "== hugo $(hugo version | awk '{print $2}')"
  for n in $sizes; do
    h=$work/hugo$n
    mkdir -p "$h/layouts/_default" "$h/content"
    cp -r "$work/p$n/content/briefs" "$h/content/briefs"
    cp -r "$work/p$n/content/pages/." "$h/content/"
    printf 'baseURL = "https://example.org/bench/"\ntitle = "Synthetic Project"\n[markup.goldmark.extensions]\ntypographer = true\n' >"$h/hugo.toml"
    cat >"$h/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"><meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}"></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
    cat >"$h/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p><time>{{ .Date.Format "2 January 2006" }}</time>
{{ .Content }}<ul>{{ range .Params.tags }}<li><a href="/tags/{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul></article>{{ end }}
HTML
    cat >"$h/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
HTML
    cp "$h/layouts/_default/list.html" "$h/layouts/_default/terms.html"
    other "hugo $n briefs" "site $n briefs, jobs $cores" "hugo --quiet --source $h --destination $work/hugo-out$n"
  done
fi
if command -v zola >/dev/null; then
  echo "== $(zola --version)"
  for n in $sizes; do
    z=$work/zola$n
    mkdir -p "$z/templates" "$z/content/briefs"
    printf 'base_url = "https://example.org/bench/"\ntitle = "Synthetic Project"\ntaxonomies = [{ name = "tags" }]\n[markdown]\nsmart_punctuation = true\n' >"$z/config.toml"
    printf '+++\ntitle = "Briefs"\nsort_by = "date"\n+++\n' >"$z/content/briefs/_index.md"
    # Zola wants TOML front matter with its own field names.
    python3 - "$work/p$n/content/briefs" "$z/content/briefs" <<'PY'
import os, sys
src, dst = sys.argv[1:]
for name in sorted(os.listdir(src)):
    _, front, body = open(os.path.join(src, name)).read().split("---\n", 2)
    f = dict(l.split(": ", 1) for l in front.splitlines() if ": " in l)
    toml = (f'+++\ntitle = "{f["title"]}"\ndescription = "{f["summary"]}"\ndate = {f["date"]}\n'
            f'[taxonomies]\ntags = {f["tags"].replace("[", "[\"").replace("]", "\"]").replace(", ", "\", \"")}\n+++\n')
    open(os.path.join(dst, name), "w").write(toml + body)
PY
    for t in index section taxonomy_list taxonomy_single page; do
      printf '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{%% if page %%}{{ page.title }}{%% elif section %%}{{ section.title }}{%% else %%}{{ config.title }}{%% endif %%}</title></head><body>{%% if page %%}<h1>{{ page.title }}</h1><p>{{ page.description }}</p>{{ page.content | safe }}{%% elif section %%}<ul>{%% for p in section.pages %%}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{%% endfor %%}</ul>{%% endif %%}</body></html>\n' >"$z/templates/$t.html"
    done
    other "zola $n briefs" "site $n briefs, jobs $cores" "zola --root $z build --output-dir $work/zola-out$n --force"
  done
fi
typst_cli=$(command -v typst || true)
typst_py=$(python3 -c 'import typst; print(typst.__version__)' 2>/dev/null || true)
if [ -n "$typst_cli" ] || [ -n "$typst_py" ]; then
  if [ -n "$typst_cli" ]; then echo "== $(typst --version)"; else echo "== typst $typst_py (Python module, one process)"; fi
  # The memo briefs as Typst documents: headings, paragraphs, list, table, links.
  t=$work/typst
  mkdir -p "$t"
  python3 - "$work/p$first/content/briefs" "$t" <<'PY'
import os, re, sys
src, dst = sys.argv[1:]
def inline(s):
    s = re.sub(r"([#$@<>*_`\\])", r"\\\1", s)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'#link("\2")[\1]', s)
for name in sorted(os.listdir(src)):
    _, front, body = open(os.path.join(src, name)).read().split("---\n", 2)
    if "pdf: false" in front:
        continue
    f = dict(l.split(": ", 1) for l in front.splitlines() if ": " in l)
    out = ['#set page(paper: "a4", numbering: "1 of 1", header: [' + inline(f["title"]) + '])',
           '#set text(size: 10.5pt)', '#set par(justify: true)', '#set heading(numbering: "1.1")',
           '= ' + inline(f["title"]), inline(f["summary"]), '#outline()']
    rows = []
    for line in body.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not set("".join(cells)) <= set("-:"):
                rows.append(cells)
            continue
        if rows:
            out.append("#table(columns: %d, %s)" % (len(rows[0]), ", ".join("[%s]" % inline(c) for r in rows for c in r)))
            rows = []
        m = re.match(r"(#+) (.*)", line)
        if m:
            out.append("=" * (len(m.group(1)) - 1) + "= " + inline(m.group(2)))
        elif line.startswith("- "):
            out.append("- " + inline(line[2:]))
        else:
            out.append(inline(line))
    open(os.path.join(dst, name[:-3] + ".typ"), "w").write("\n".join(out) + "\n")
PY
  for jobs in 1 2; do
    [ "$jobs" -le "$cores" ] || continue
    if [ -n "$typst_cli" ]; then
      other "typst memos $first briefs, jobs $jobs" "memos $first briefs, jobs $jobs" \
        "ls $t/*.typ | xargs -P $jobs -I{} typst compile {} --jobs 1"
    else
      # No CLI: the Python binding compiles every memo in one process
      # (start-up paid once), $jobs processes at a time.
      cat >"$work/typst_all.py" <<'PY'
import glob, multiprocessing, sys, typst
def one(path):
    typst.compile(path, output=path[:-4] + ".pdf")
if __name__ == "__main__":
    files, jobs = sorted(glob.glob(sys.argv[1] + "/*.typ")), int(sys.argv[2])
    if jobs == 1:
        list(map(one, files))
    else:
        with multiprocessing.Pool(jobs) as pool:
            pool.map(one, files, chunksize=4)
PY
      other "typst (py) memos $first briefs, jobs $jobs" "memos $first briefs, jobs $jobs" \
        "python3 $work/typst_all.py $t $jobs"
    fi
  done
fi

[ "$doc" = "-" ] && exit 0
echo "== writing $doc"
mkdir -p "$(dirname "$doc")"
python3 - "$results" "$others" "$doc" "$bin" "$sizes" "$runs" "$load_start" "$serve_out" <<'PY'
import os, platform, subprocess, sys
results, others, doc, binary, sizes, runs, load_start, serve_out = sys.argv[1:]
def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return "?"
cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
load_end = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
rows = [l.rstrip("\n").split("\t") for l in open(results) if l.strip()]
other = [l.rstrip("\n").split("\t") for l in open(others) if l.strip()]
out = ["# orepress performance", "",
       "Written by `benches/run.sh`; figures are measurements of one machine, not promises.",
       "", "## Machine", "",
       f"- CPU: {cpu}, {os.cpu_count()} logical cores (shared: other work may have run at the same time)",
       f"- memory: {mem}; inputs and outputs on tmpfs (`/dev/shm`)",
       f"- OS: {platform.system()} {platform.release()}",
       f"- load average (1, 5, 15 min) at the start: {load_start}; at the end: "
       f"{load_end} (when it is above the core count, wall times include waiting for a core; "
       "user CPU times are steadier)",
       f"- orepress: `{sh(binary + ' --version')}` ({sh('git rev-parse --short HEAD')}), release build",
       f"- rustc: `{sh('rustc --version')}`", "",
       "## Method", "",
       f"Projects from `python3 benches/gen.py N DIR --memos 100` (N = {sizes.replace(' ', ', ')}; "
       "briefs of about 800 words with headings, a list, a table, links, tags and a deal; "
       "memos for the first 100 briefs only; \"memos 1000 briefs\" is a project of 1,000 briefs that all have one, "
       "`gen.py 1000 DIR`). Memos alone (`--pdf-only`) are built into a folder of their own, which holds no site to keep. "
       "Each figure is the median wall time of "
       f"{runs} runs (3 for 10,000 briefs) after one warm-up (`hyperfine`); user is the mean user CPU time; "
       "peak RSS is `/usr/bin/time -v`'s maximum resident set of one more run. "
       "`copies` has no `--jobs`, its threads follow `RAYON_NUM_THREADS`. "
       "\"site\" builds over the previous output of the same build (a page whose bytes did not change is kept, not written again), \"empty output\" into a folder removed before each run. "
       "\"full build\" and \"memos\" use `--fresh` (every memo set again); \"edit one brief\" appends to one brief before each run, and the build sets that brief's memo again and takes the others from the previous output. "
       "\"memo of a 7.5 MB paragraph\" and \"… table\" build the memo of one brief whose body is a single paragraph, or a single three-column table of 170,000 rows, of 7.5 MB (`gen.py 1 DIR --large paragraph|table`): their peak RSS over 7.5 MB is the memory a very large brief needs per byte of its text.", "",
       "## orepress", "",
       "| what | median ms | user ms | peak RSS MB | runs |", "|---|---:|---:|---:|---:|"]
for name, med, user, sys_, rss, n, cmd in rows:
    out.append(f"| {name} | {med} | {user} | {rss} | {n} |")
out += ["", "Commands (`$W` is the work folder on tmpfs):", "", "```"]
seen = set()
for *_, cmd in rows:
    c = cmd.replace(binary, "orepress")
    import re
    c = re.sub(r"/\S*orepress-bench\.\w+/(p\d+)", r"$W/\1", c)
    c = re.sub(r"/\S*orepress-bench\.\w+", r"$W", c)
    if c not in seen:
        seen.add(c)
        out.append(c)
out.append("```")
serve = [l.strip() for l in open(serve_out) if l.strip()]
if serve:
    out += ["", "## serve", "",
            "`python3 benches/serve.py orepress PROJECT --runs 3` on a built copy of the project: "
            "`orepress serve --port 0` is started and the home page fetched; then one brief is saved three "
            "times a run and the time is taken until the preview serves the edited page (the watcher "
            "renders once it has had no event for 20 ms, a burst of them settling). `--edit title` changes "
            "the brief's title (its card changes: the home, deals and contact pages, the list page "
            "showing it, its tags' and deals' pages and the pages of the briefs beside it or citing "
            "its deals are rendered again); "
            "`--edit body` changes a sentence of its body (its page alone is rendered again).", ""]
    out += [f"- {l}" for l in serve]
if other:
    out += ["", "## Other tools on the same inputs", "",
            "| what | median ms | compared with | ratio to orepress |", "|---|---:|---|---:|"]
    for name, t, ref, ratio, cmd in other:
        out.append(f"| {name} | {t} | {ref} | {ratio} |")
    out += ["", "A ratio above 1 means the other tool took longer. Hugo and Zola get minimal "
            "templates written by the script (a page per brief, lists, tag pages); Typst gets each "
            "memo brief converted to a Typst document (headings, paragraphs, list, table, links, "
            "outline, running header): one `typst compile` process per memo, or, with only the "
            "Python module installed, one Python process compiling them all."]
else:
    out += ["", "No hugo, zola or typst on the PATH: no comparison."]
open(doc, "w").write("\n".join(out) + "\n")
PY
echo "wrote $doc"
