//! Where the body's blocks go as compose makes them: kept in a list (a
//! memo of usual length), or handed one by one to the flow that lays them
//! out on another thread (a long one), so that a brief of a million list
//! items never has all its blocks made and waiting at once.

use std::sync::mpsc::SyncSender;

use crate::pdf::layout::Block;

/// The body's blocks, as they are made. The last one is held back until
/// the next comes: a list sets its last paragraph's space after once the
/// list is done.
pub(super) struct Out {
    last: Option<Block>,
    to: To,
}

enum To {
    Kept(Vec<Block>),
    /// Sent on; `false` once the flow stopped taking them (it failed).
    Sent(SyncSender<Block>, bool),
}

impl Out {
    /// Blocks kept in a list, given back by [`Out::finish`].
    pub(super) fn kept() -> Out {
        Out {
            last: None,
            to: To::Kept(Vec::new()),
        }
    }

    /// Blocks sent to `to` as they are made.
    pub(super) fn sent(to: SyncSender<Block>) -> Out {
        Out {
            last: None,
            to: To::Sent(to, true),
        }
    }

    pub(super) fn push(&mut self, block: Block) {
        if let Some(before) = self.last.replace(block) {
            self.hand_on(before);
        }
    }

    /// The block made last.
    pub(super) fn last_mut(&mut self) -> Option<&mut Block> {
        self.last.as_mut()
    }

    /// Whether blocks are still wanted: `false` once the flow they are
    /// sent to has stopped, so compose need not finish a body no one lays
    /// out.
    pub(super) fn open(&self) -> bool {
        !matches!(self.to, To::Sent(_, false))
    }

    fn hand_on(&mut self, block: Block) {
        match &mut self.to {
            To::Kept(list) => list.push(block),
            To::Sent(to, open) => {
                if *open && to.send(block).is_err() {
                    *open = false;
                }
            }
        }
    }

    /// The blocks kept (none when they were sent: the sender is dropped
    /// here, which ends the flow's list).
    pub(super) fn finish(mut self) -> Vec<Block> {
        if let Some(last) = self.last.take() {
            self.hand_on(last);
        }
        match self.to {
            To::Kept(list) => list,
            To::Sent(..) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_block_may_change_until_the_next_is_made() {
        let mut out = Out::kept();
        out.push(Block::Space(1.0));
        out.push(Block::Space(2.0));
        if let Some(Block::Space(s)) = out.last_mut() {
            *s = 3.0;
        }
        out.push(Block::Space(4.0));
        let spaces: Vec<f32> = out
            .finish()
            .into_iter()
            .map(|b| match b {
                Block::Space(s) => s,
                _ => f32::NAN,
            })
            .collect();
        assert_eq!(spaces, [1.0, 3.0, 4.0]);
    }

    #[test]
    fn sent_blocks_arrive_in_order_and_end_with_the_sender() {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let making = std::thread::spawn(move || {
            let mut out = Out::sent(tx);
            for i in 0..100 {
                out.push(Block::Space(i as f32));
            }
            out.finish().len()
        });
        let got: Vec<f32> = rx
            .into_iter()
            .map(|b| match b {
                Block::Space(s) => s,
                _ => f32::NAN,
            })
            .collect();
        assert_eq!(making.join().unwrap(), 0);
        assert_eq!(got, (0..100).map(|i| i as f32).collect::<Vec<_>>());
    }

    #[test]
    fn a_flow_that_stops_taking_blocks_closes_the_output() {
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        drop(rx);
        let mut out = Out::sent(tx);
        out.push(Block::Space(1.0));
        assert!(out.open(), "the first block is still held back");
        out.push(Block::Space(2.0));
        assert!(!out.open());
    }
}
