//! Times orepress's layout engine on a memo of about 2,000 words:
//! `cargo run --release --example layout_timing`.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use orepress::pdf::frame::Rgb;
use orepress::pdf::layout::{
    flow, Align, Block, Column, FontSet, PageSpec, ParaStyle, Span, Table, TableStyle,
};

const WORDS: &str =
    "the fund acquires controlling stakes in profitable industrial businesses with \
resilient cash flows and experienced management teams and targets a gross internal rate of \
return above eighteen percent over a holding period of five years financial office diligence \
capitalisation notwithstanding extraordinary infrastructure";

fn fonts() -> FontSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts");
    let mut set = FontSet::new();
    for name in [
        "NotoSerif-Regular",
        "NotoSerif-Bold",
        "NotoSerif-Italic",
        "NotoSans-Bold",
    ] {
        let data = std::fs::read(dir.join(format!("{name}.ttf"))).expect("theme font");
        set.add(Arc::new(data), name).expect("font parses");
    }
    set
}

fn memo(set: &FontSet) -> Vec<Block> {
    let ids: Vec<_> = (0..4).map(orepress::pdf::frame::FontId).collect();
    let _ = set;
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut blocks = Vec::new();
    let body = ParaStyle {
        leading: 14.0,
        space_after: 6.0,
        ..ParaStyle::default()
    };
    let head = ParaStyle {
        align: Align::Left,
        leading: 18.0,
        space_before: 12.0,
        keep_with_next: true,
        hyphenate: false,
        outline_level: Some(1),
        ..ParaStyle::default()
    };
    let mut n = 0usize;
    let mut total = 0;
    while total < 2000 {
        if n.is_multiple_of(5) {
            blocks.push(Block::para(
                vec![Span::new(
                    format!("Section {}", n / 5 + 1),
                    ids[3],
                    14.0,
                    Rgb::BLACK,
                )],
                head.clone(),
            ));
        }
        let len = 60 + (n * 37) % 80;
        let text: Vec<&str> = (0..len)
            .map(|i| words[(i * 7 + n * 3) % words.len()])
            .collect();
        total += len;
        let mut spans = vec![Span::new(
            text[..len / 2].join(" ") + " ",
            ids[0],
            10.5,
            Rgb::BLACK,
        )];
        spans.push(Span::new(
            text[len / 2..len / 2 + 3].join(" "),
            ids[1],
            10.5,
            Rgb::BLACK,
        ));
        spans.push(Span::new(
            " ".to_string() + &text[len / 2 + 3..].join(" "),
            ids[0],
            10.5,
            Rgb::BLACK,
        ));
        blocks.push(Block::para(spans, body.clone()));
        if n == 7 {
            let cell = |s: &str| vec![Span::new(s, ids[0], 9.0, Rgb::BLACK)];
            blocks.push(Block::table(Table {
                columns: vec![
                    Column {
                        weight: 2.0,
                        align: Align::Left,
                    },
                    Column {
                        weight: 1.0,
                        align: Align::Right,
                    },
                ],
                header: vec![cell("Metric"), cell("Value")],
                rows: (0..12)
                    .map(|i| vec![cell("Revenue growth per year"), cell(&format!("{i}.5%"))])
                    .collect(),
                style: TableStyle::default(),
            }));
        }
        n += 1;
    }
    blocks
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let page = PageSpec {
        width: 595.0,
        height: 842.0,
        margin_top: 72.0,
        margin_bottom: 72.0,
        margin_left: 72.0,
        margin_right: 72.0,
    };
    let set = fonts();
    let blocks = memo(&set);
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut pages = 0;
    for _ in 0..15 {
        let fresh = fonts();
        let t = Instant::now();
        let f = flow(&blocks, &fresh, page).expect("flows");
        cold.push(t.elapsed().as_secs_f64() * 1e3);
        pages = f.pages.len();
        let t = Instant::now();
        flow(&blocks, &set, page).expect("flows");
        warm.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{} blocks, {pages} pages: flow median {:.2} ms with cold shaping caches, {:.2} ms warm",
        blocks.len(),
        median(cold),
        median(warm)
    );
}
