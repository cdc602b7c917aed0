//! HTML comments taken out of a Markdown text's events.
//!
//! Raw HTML is shown as text, never interpreted; a comment, though, is
//! the note a writer leaves for themselves (`<!-- check the price with
//! the client -->`) and every Markdown renderer hides it. It must never
//! reach a published page or a memo sent to an investor.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The events of `events` without HTML comments: an inline comment is one
/// event and is dropped; an HTML block keeps what is outside its comments,
/// and goes when nothing else is in it. A comment that opens an HTML block
/// and never closes takes in the rest of the text: it stays, and its
/// offset goes to `unclosed` (an error for validation). One never closed
/// inside a paragraph is text to the parser, shown as it is.
pub(super) fn without_comments<'a, 'u, I>(
    events: I,
    unclosed: &'u mut Vec<usize>,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> + 'u
where
    I: Iterator<Item = (Event<'a>, Range<usize>)> + 'u,
    'a: 'u,
{
    let mut events = events;
    let mut ready: VecDeque<(Event<'a>, Range<usize>)> = VecDeque::new();
    std::iter::from_fn(move || loop {
        if let Some(e) = ready.pop_front() {
            return Some(e);
        }
        let (event, range) = events.next()?;
        match event {
            Event::InlineHtml(ref h) if h.starts_with("<!--") => continue,
            Event::Start(Tag::HtmlBlock) => {
                let mut lines: Vec<(CowStr<'a>, Range<usize>)> = Vec::new();
                // An HTML block holds only its lines; anything else comes
                // after it.
                let mut others = Vec::new();
                let mut end = None;
                for (e, r) in events.by_ref() {
                    match e {
                        Event::Html(h) => lines.push((h, r)),
                        Event::End(TagEnd::HtmlBlock) => {
                            end = Some(r);
                            break;
                        }
                        other => others.push((other, r)),
                    }
                }
                let kept = if lines.iter().any(|(h, _)| h.contains("<!--")) {
                    let whole: String = lines.iter().map(|(h, _)| &**h).collect();
                    let (left, open) = strip_comments(&whole);
                    let start = lines.first().map_or(range.start, |(_, r)| r.start);
                    if let Some(at) = open {
                        unclosed.push(start + at);
                    }
                    left.split_inclusive('\n')
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| (Event::Html(CowStr::from(l.to_string())), start..start))
                        .collect()
                } else {
                    lines
                        .into_iter()
                        .map(|(h, r)| (Event::Html(h), r))
                        .collect::<Vec<_>>()
                };
                // `ready` is empty here: the block goes out whole, or not at all.
                if !kept.is_empty() {
                    ready.push_back((Event::Start(Tag::HtmlBlock), range.clone()));
                    ready.extend(kept);
                    ready.push_back((Event::End(TagEnd::HtmlBlock), end.unwrap_or(range)));
                }
                ready.extend(others);
            }
            event => return Some((event, range)),
        }
    })
}

/// `html` without its `<!-- … -->` comments, and where in `html` a
/// comment opens that never closes (kept, with all after it).
fn strip_comments(html: &str) -> (String, Option<usize>) {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 4..];
        // `<!-->` and `<!--->` close at once (HTML's abrupt comments).
        let close = if after.starts_with('>') {
            Some((0, 1))
        } else if after.starts_with("->") {
            Some((0, 2))
        } else {
            after.find("-->").map(|i| (i, 3))
        };
        match close {
            Some((i, len)) => rest = &after[i + len..],
            None => {
                let at = html.len() - rest.len() + open;
                out.push_str(&rest[open..]);
                return (out, Some(at));
            }
        }
    }
    out.push_str(rest);
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::strip_comments;

    #[test]
    fn comments_go_and_the_rest_stays() {
        let stripped = |s: &str| strip_comments(s).0;
        assert_eq!(stripped("a <!-- x --> b"), "a  b");
        assert_eq!(stripped("<!-- x\ny -->\n"), "\n");
        assert_eq!(stripped("<!--> a <!---> b"), " a  b");
        assert_eq!(
            stripped("<div>\n<!-- in -->\n</div>\n"),
            "<div>\n\n</div>\n"
        );
        assert_eq!(strip_comments("no comment"), ("no comment".into(), None));
        // Never closed: kept (it would hide all after it), and where it is.
        assert_eq!(
            strip_comments("a <!-- b --> c <!-- d"),
            ("a  c <!-- d".into(), Some(15))
        );
    }
}
