//! "You may also like": related articles from the tag -> articles inverted
//! index. A candidate scores for every tag it shares with the article (rarer
//! tags weigh more), for being in the same section, and for being close in
//! time. Cost grows with postings scanned, never with articles squared: for
//! a very common tag only the `CANDIDATES_PER_TAG` articles nearest in time
//! are scanned. Pure and deterministic (ties go to the newer article).

use chrono::{DateTime, TimeZone};
use rayon::prelude::*;

/// How many articles around the article are scanned per tag.
pub const CANDIDATES_PER_TAG: usize = 200;
const SAME_SECTION: f64 = 1.0;
/// Weight of closeness in time: a candidate published the same moment gets
/// all of it, one published `TIME_SCALE_DAYS` apart half of it.
const TIME_WEIGHT: f64 = 0.5;
const TIME_SCALE_DAYS: f64 = 30.0;

/// What the scoring needs to know about one article.
pub struct Item<'a> {
    /// The index of its section.
    pub section: usize,
    /// The indexes of its tags, as `postings` numbers them.
    pub tags: &'a [usize],
    /// Its publication time, in seconds since the Unix epoch.
    pub timestamp: i64,
}

impl<'a> Item<'a> {
    /// The item of an article in `section`, with `tags`, published at `date`.
    pub fn new<Tz: TimeZone>(section: usize, tags: &'a [usize], date: &DateTime<Tz>) -> Item<'a> {
        Item { section, tags, timestamp: date.timestamp() }
    }
}

/// For every article (indexes sorted newest first), up to `count` related
/// articles, best first. `postings[t]` lists the articles with tag `t`, in
/// ascending index order; `sections[s]` likewise.
pub fn related(items: &[Item<'_>], postings: &[&[usize]], sections: &[&[usize]], count: usize) -> Vec<Vec<usize>> {
    if count == 0 {
        return vec![Vec::new(); items.len()];
    }
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::new(0));
    }
    (0..items.len())
        .into_par_iter()
        .map(|i| {
            SCRATCH.with_borrow_mut(|scratch| {
                scratch.fit(items.len());
                for_one(i, items, postings, sections, count, scratch)
            })
        })
        .collect()
}

/// Per-thread scores, indexed by article, reset after each use: scoring
/// adds into a plain array instead of hashing every candidate. One per
/// thread (not per parallel job: at 100,000 articles each is a megabyte).
struct Scratch {
    score: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<usize>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch { score: vec![0.0; n], seen: vec![false; n], touched: Vec::new() }
    }

    /// Makes room for `n` articles.
    fn fit(&mut self, n: usize) {
        if self.score.len() < n {
            self.score.resize(n, 0.0);
            self.seen.resize(n, false);
        }
    }

    fn add(&mut self, c: usize, points: f64) {
        if !self.seen[c] {
            self.seen[c] = true;
            self.touched.push(c);
        }
        self.score[c] += points;
    }
}

fn for_one(
    i: usize,
    items: &[Item<'_>],
    postings: &[&[usize]],
    sections: &[&[usize]],
    count: usize,
    scratch: &mut Scratch,
) -> Vec<usize> {
    let total = items.len() as f64;
    for &t in items[i].tags {
        let list = postings[t];
        let weight = (1.0 + total / list.len() as f64).ln();
        for &c in nearest(list, i, CANDIDATES_PER_TAG) {
            if c != i {
                scratch.add(c, weight);
            }
        }
    }
    if scratch.touched.len() < count {
        for &c in nearest(sections[items[i].section], i, count * 2 + 1) {
            if c != i {
                scratch.add(c, 0.0);
            }
        }
    }
    let mut ranked: Vec<(f64, usize)> =
        scratch.touched.iter().map(|&c| (scratch.score[c] + bonus(&items[i], &items[c]), c)).collect();
    for &c in &scratch.touched {
        scratch.score[c] = 0.0;
        scratch.seen[c] = false;
    }
    scratch.touched.clear();
    let best_first = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if ranked.len() > count {
        ranked.select_nth_unstable_by(count, best_first);
        ranked.truncate(count);
    }
    ranked.sort_by(best_first);
    // Not `into_iter`: collecting in place would keep the whole candidate
    // buffer alive in every result (gigabytes at 100,000 articles).
    ranked.iter().map(|&(_, c)| c).collect()
}

fn bonus(a: &Item<'_>, c: &Item<'_>) -> f64 {
    let section = if a.section == c.section { SAME_SECTION } else { 0.0 };
    let days = (a.timestamp - c.timestamp).abs() as f64 / 86_400.0;
    section + TIME_WEIGHT / (1.0 + days / TIME_SCALE_DAYS)
}

/// The window of at most `cap` entries of a sorted list around `i`.
fn nearest(list: &[usize], i: usize, cap: usize) -> &[usize] {
    if list.len() <= cap {
        return list;
    }
    let at = list.binary_search(&i).unwrap_or_else(|p| p);
    let start = at.saturating_sub(cap / 2).min(list.len() - cap);
    &list[start..start + cap]
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    /// Articles as (section, tags, day); indexes must be newest first.
    fn run(articles: &[(usize, &[usize], i64)], count: usize) -> Vec<Vec<usize>> {
        let items: Vec<Item<'_>> =
            articles.iter().map(|(s, t, d)| Item { section: *s, tags: t, timestamp: d * DAY }).collect();
        let ntags = articles.iter().flat_map(|a| a.1.iter()).max().map_or(0, |m| m + 1);
        let nsections = articles.iter().map(|a| a.0).max().map_or(0, |m| m + 1);
        let mut postings = vec![Vec::new(); ntags];
        let mut sections = vec![Vec::new(); nsections];
        for (i, (s, tags, _)) in articles.iter().enumerate() {
            sections[*s].push(i);
            for &t in *tags {
                postings[t].push(i);
            }
        }
        let postings: Vec<&[usize]> = postings.iter().map(Vec::as_slice).collect();
        let sections: Vec<&[usize]> = sections.iter().map(Vec::as_slice).collect();
        related(&items, &postings, &sections, count)
    }

    #[test]
    fn never_the_article_itself() {
        let r = run(&[(0, &[0], 3), (0, &[0], 2), (0, &[0], 1)], 4);
        assert_eq!(r[0], [1, 2]);
        assert!(!r[1].contains(&1));
    }

    #[test]
    fn rarer_shared_tags_weigh_more() {
        // Tag 1 is on every article; tag 2 only on articles 0 and 3.
        let r = run(&[(0, &[1, 2], 10), (1, &[1], 9), (1, &[1], 8), (1, &[1, 2], 1), (1, &[1], 7)], 1);
        assert_eq!(r[0], [3], "the rare shared tag beats being close in time");
    }

    #[test]
    fn same_section_breaks_a_tie_in_tags() {
        let r = run(&[(0, &[0], 10), (1, &[0], 9), (0, &[0], 8)], 1);
        assert_eq!(r[0], [2]);
    }

    #[test]
    fn closeness_in_time_breaks_a_tie_in_tags_and_section() {
        let r = run(&[(0, &[0], 100), (0, &[0], 90), (0, &[0], 10)], 2);
        assert_eq!(r[0], [1, 2]);
    }

    #[test]
    fn exact_ties_go_to_the_newer_article() {
        let r = run(&[(0, &[0], 5), (1, &[0], 6), (1, &[0], 4)], 2);
        assert_eq!(r[0], [1, 2]);
    }

    #[test]
    fn falls_back_to_the_section_when_tags_give_too_few() {
        let r = run(&[(0, &[], 3), (1, &[], 2), (0, &[], 1)], 4);
        assert_eq!(r[0], [2]);
    }

    #[test]
    fn respects_the_count() {
        let r = run(&[(0, &[0], 5), (0, &[0], 4), (0, &[0], 3), (0, &[0], 2)], 2);
        assert_eq!(r[0].len(), 2);
        assert!(run(&[(0, &[0], 5), (0, &[0], 4)], 0)[0].is_empty());
    }

    #[test]
    fn very_common_tags_scan_only_the_nearest() {
        let list: Vec<usize> = (0..1000).collect();
        assert_eq!(nearest(&list, 500, 10), &list[495..505]);
        assert_eq!(nearest(&list, 0, 10), &list[0..10]);
        assert_eq!(nearest(&list, 999, 10), &list[990..1000]);
    }
}
