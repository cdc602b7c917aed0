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
/// and goes when nothing else is in it.
pub(super) fn without_comments<'a, I>(events: I) -> impl Iterator<Item = (Event<'a>, Range<usize>)>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
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
                let mut end = None;
                for (e, r) in events.by_ref() {
                    match e {
                        Event::Html(h) => lines.push((h, r)),
                        Event::End(TagEnd::HtmlBlock) => {
                            end = Some(r);
                            break;
                        }
                        // An HTML block holds only its lines.
                        other => ready.push_back((other, r)),
                    }
                }
                let kept = if lines.iter().any(|(h, _)| h.contains("<!--")) {
                    let whole: String = lines.iter().map(|(h, _)| &**h).collect();
                    let left = strip_comments(&whole);
                    let start = lines.first().map_or(range.start, |(_, r)| r.start);
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
                if !kept.is_empty() {
                    let mut block = VecDeque::with_capacity(kept.len() + 2);
                    block.push_back((Event::Start(Tag::HtmlBlock), range.clone()));
                    block.extend(kept);
                    block.push_back((Event::End(TagEnd::HtmlBlock), end.unwrap_or(range)));
                    block.append(&mut ready);
                    ready = block;
                }
            }
            event => return Some((event, range)),
        }
    })
}

/// `html` without its `<!-- … -->` comments; an unclosed one runs to the
/// end, as in HTML.
fn strip_comments(html: &str) -> String {
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
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::strip_comments;

    #[test]
    fn comments_go_and_the_rest_stays() {
        assert_eq!(strip_comments("a <!-- x --> b"), "a  b");
        assert_eq!(strip_comments("<!-- x\ny -->\n"), "\n");
        assert_eq!(strip_comments("a <!-- x"), "a ");
        assert_eq!(strip_comments("<!--> a <!---> b"), " a  b");
        assert_eq!(
            strip_comments("<div>\n<!-- in -->\n</div>\n"),
            "<div>\n\n</div>\n"
        );
        assert_eq!(strip_comments("no comment"), "no comment");
    }
}
