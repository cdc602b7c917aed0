//! Tests of tables in flow: rows kept whole and split over pages, headers
//! repeated, column widths that keep words whole, type set smaller to fit,
//! right-to-left columns.

use super::*;

fn table(font: FontId, rows: usize) -> Block {
    let cell = |s: String| vec![Span::new(s, font, 8.0, Rgb::BLACK)];
    Block::table(Table {
        columns: vec![
            Column {
                weight: 1.0,
                align: Align::Left,
            },
            Column {
                weight: 2.0,
                align: Align::Right,
            },
        ],
        header: vec![cell("Item".into()), cell("Amount".into())],
        rows: (0..rows)
            .map(|i| {
                let long = if i % 3 == 0 {
                    format!("R{i} spans several wrapped lines of cell text here")
                } else {
                    format!("R{i} short")
                };
                vec![cell(format!("Row{i}")), cell(long)]
            })
            .collect(),
        style: TableStyle {
            header_fill: Some(Rgb(0.9, 0.9, 0.9)),
            zebra_fill: Some(Rgb(0.97, 0.97, 0.97)),
            ..TableStyle::default()
        },
    })
}

#[test]
fn keep_together_tables_move_whole_to_the_next_page() {
    let (set, ids) = test_fonts();
    let rows_on = |keep: bool| {
        let mut t = table(ids[3], 4);
        if let Block::Table(t) = &mut t {
            t.style.keep_together = keep;
        }
        let f = flow(&[lines(ids[0], "A", 8), t], &set, PAGE).unwrap();
        check_inside(&f);
        page_lines(&f)
            .iter()
            .map(|p| p.iter().filter(|l| l.starts_with("Row")).count())
            .collect::<Vec<_>>()
    };
    // Split by default: the first rows start at the foot of page 1 ...
    let split = rows_on(false);
    assert!(split[0] > 0 && split[1] > 0, "{split:?}");
    // ... kept together, all four rows move to page 2.
    assert_eq!(rows_on(true), [0, 4]);
}

#[test]
fn narrow_columns_widen_to_their_longest_word() {
    // The first column needs 30 for its longest word: it takes the
    // width from the column with room to spare.
    assert_eq!(fit_columns(vec![10.0, 90.0], &[30.0, 20.0]), [30.0, 70.0]);
    // Room is taken in proportion to each column's spare width.
    assert_eq!(
        fit_columns(vec![10.0, 50.0, 40.0], &[20.0, 10.0, 40.0]),
        [20.0, 40.0, 40.0]
    );
    // When the words cannot all fit, the weighted widths stand.
    assert_eq!(fit_columns(vec![10.0, 20.0], &[25.0, 15.0]), [10.0, 20.0]);
}

/// A table of `cols` columns of years under a header, at 8 pt: each
/// cell's text and the size its runs are set in.
fn wide_table_runs(cols: usize) -> Vec<(String, f32)> {
    let (set, ids) = test_fonts();
    let cell = |s: String| vec![Span::new(s, ids[3], 8.0, Rgb::BLACK)];
    let t = Block::table(Table {
        columns: (0..cols)
            .map(|_| Column {
                weight: 1.0,
                align: Align::Right,
            })
            .collect(),
        header: (0..cols).map(|c| cell(format!("Y{c}"))).collect(),
        rows: (0..3)
            .map(|r| {
                (0..cols)
                    .map(|c| cell(format!("{}", 2000 + r * 10 + c)))
                    .collect()
            })
            .collect(),
        style: TableStyle::default(),
    });
    let f = flow(&[t], &set, PAGE).unwrap();
    check_inside(&f);
    f.pages[0]
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Text(t) => Some((t.text(), t.size)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_table_too_wide_for_its_words_is_set_smaller_not_split() {
    // Three columns fit as they are: the type stays 8 pt.
    let runs = wide_table_runs(3);
    assert_eq!(runs.len(), 12, "{runs:?}");
    assert!(runs.iter().all(|(_, size)| *size == 8.0), "{runs:?}");
    // Eight columns of four figures do not fit 160 pt at 8 pt: the type
    // is set smaller, to no less than 6 pt, and every figure stays whole.
    let runs = wide_table_runs(8);
    assert_eq!(runs.len(), 32, "a cell split: {runs:?}");
    let years = runs
        .iter()
        .filter(|(t, _)| t.len() == 4 && t.starts_with("20"));
    assert_eq!(years.count(), 24, "{runs:?}");
    let size = runs[0].1;
    assert!((6.0..8.0).contains(&size), "{size}");
    assert!(runs.iter().all(|(_, s)| *s == size), "{runs:?}");
    // Sixteen columns cannot fit even at 6 pt: 6 pt it is, the figures
    // broken but all inside the page.
    let runs = wide_table_runs(16);
    assert!(
        runs.iter().all(|(_, s)| (*s - 6.0).abs() < 1e-4),
        "{runs:?}"
    );
    assert!(runs.len() > 64, "{}", runs.len());
}

#[test]
fn words_in_table_cells_are_not_split() {
    let (set, ids) = test_fonts();
    let cell = |s: &str| vec![Span::new(s, ids[3], 8.0, Rgb::BLACK)];
    let t = Block::table(Table {
        columns: vec![
            Column {
                weight: 1.0,
                align: Align::Left,
            },
            Column {
                weight: 9.0,
                align: Align::Left,
            },
        ],
        header: Vec::new(),
        rows: vec![vec![cell("Compliance"), cell("short")]],
        style: TableStyle::default(),
    });
    let p = page_lines(&flow(&[t], &set, PAGE).unwrap());
    // One line: the word whole, the second cell beside it.
    assert_eq!(p[0], ["Complianceshort"]);
}

#[test]
fn table_rows_stay_whole_and_header_repeats() {
    let (set, ids) = test_fonts();
    let f = flow(&[lines(ids[0], "A", 5), table(ids[3], 30)], &set, PAGE).unwrap();
    assert!(f.pages.len() >= 3);
    check_inside(&f);
    let mut seen = vec![0; 30];
    for (pi, page) in f.pages.iter().enumerate() {
        // Header first on every page the table reaches.
        let texts: Vec<&TextRun> = page
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text(t) => Some(&**t),
                _ => None,
            })
            .collect();
        let first_table = texts
            .iter()
            .position(|t| !t.text().starts_with('A'))
            .unwrap();
        assert_eq!(texts[first_table].text(), "Item", "page {pi}");
        // Every row's lines lie on one page: its "R{i}" line is on the
        // same page as its "Row{i}" cell.
        for (i, seen) in seen.iter_mut().enumerate() {
            let name = texts.iter().any(|t| t.text() == format!("Row{i}"));
            let body = texts
                .iter()
                .any(|t| t.text().starts_with(&format!("R{i} ")));
            assert_eq!(name, body, "row {i} split on page {pi}");
            if name {
                *seen += 1;
            }
        }
        // Reading order: baselines never go up (cells of one row share
        // their first baseline; a wrapped cell's later lines come before
        // the next row).
        let mut prev_row_top = 0.0;
        for t in &texts {
            if t.text().starts_with("Row") {
                assert!(t.y > prev_row_top);
                prev_row_top = t.y;
            }
        }
    }
    assert!(seen.iter().all(|&s| s == 1), "{seen:?}");
    // Cell text sits inside its column.
    let page = &f.pages[1];
    for it in &page.items {
        if let Item::Text(t) = it {
            if t.text().starts_with("Row") {
                assert!(t.x + t.width() <= 20.0 + 160.0 / 3.0);
            }
        }
    }
}

#[test]
fn a_row_taller_than_a_page_continues_on_the_next_pages() {
    let (set, ids) = test_fonts();
    let long: Vec<String> = (1..=40).map(|i| format!("S{i}")).collect();
    let cell = |s: String| vec![Span::new(s, ids[0], 8.0, Rgb::BLACK)];
    let t = Block::table(Table {
        columns: vec![
            Column {
                weight: 1.0,
                align: Align::Left,
            },
            Column {
                weight: 1.0,
                align: Align::Left,
            },
        ],
        header: vec![cell("Head".into()), cell("Notes".into())],
        rows: vec![
            vec![cell("first".into()), cell("short".into())],
            vec![cell("tall".into()), cell(long.join("\n"))],
            vec![cell("after".into()), cell("end".into())],
        ],
        style: TableStyle::default(),
    });
    let f = flow(&[lines(ids[0], "p", 3), t], &set, PAGE).unwrap();
    check_inside(&f);
    assert!(f.pages.len() >= 4, "{} pages", f.pages.len());
    let pages = page_lines(&f);
    let all: Vec<&String> = pages.iter().flatten().collect();
    for i in 1..=40 {
        let s = format!("S{i}");
        let n = all
            .iter()
            .filter(|l| l.trim_start_matches("tall") == s)
            .count();
        assert_eq!(n, 1, "{s}");
    }
    // The header row repeats above every part of the row.
    for p in &pages {
        assert!(p.iter().any(|l| l.starts_with("Head")), "{p:?}");
    }
    // Nothing below the bottom margin (fills and rules included).
    for p in &f.pages {
        for it in &p.items {
            if let Item::Rect { y, h, .. } = it {
                assert!(y + h <= PAGE.height - PAGE.margin_bottom + 0.01);
            }
        }
    }
}

#[test]
fn a_right_to_left_table_starts_its_columns_at_the_right() {
    let (set, serif, _) = urdu_fonts();
    let cell = |t: &str| vec![Span::new(t, serif, 9.0, Rgb::BLACK)];
    let t = Table {
        columns: vec![
            Column {
                weight: 1.0,
                align: Align::Left,
            },
            Column {
                weight: 3.0,
                align: Align::Left,
            },
        ],
        header: Vec::new(),
        rows: vec![vec![cell("حیثیت"), cell("Pakistan")]],
        style: TableStyle {
            rtl: true,
            ..TableStyle::default()
        },
    };
    let f = flow(&[Block::table(t)], &set, PAGE).unwrap();
    let x_of = |urdu: bool| {
        f.pages[0]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text(t) if crate::pdf::layout::bidi::is_rtl_text(&t.text()) == urdu => {
                    Some((t.x, t.x + t.width()))
                }
                _ => None,
            })
            .unwrap()
    };
    let (label, value) = (x_of(true), x_of(false));
    let right = PAGE.width - PAGE.margin_right;
    // The first column at the right; the value right-aligned against it.
    assert!(label.0 > value.1, "{label:?} {value:?}");
    assert!(right - label.1 < 6.0, "{label:?}");
    let value_col_right = right - (right - PAGE.margin_left) / 4.0;
    assert!(
        value_col_right - value.1 < 6.0,
        "{value:?} {value_col_right}"
    );
}
