//! Where front matter ends: the one loop every reader of front matter
//! shares (Broadsheet's own, and the Jekyll, Hugo and Zola importers, each
//! with its generator's rules for where it starts and what it holds).

/// In `rest` (the text after the opening delimiter's line), the first line
/// that is only one of `closers` (trailing spaces and CR allowed): the
/// front matter's length and the byte where the body starts. `None` when
/// no line closes it.
pub fn closing(rest: &str, closers: &[&str]) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_first_closing_line_with_crlf_and_spaces() {
        assert_eq!(super::closing("a = 1\r\n+++  \r\nbody", &["+++"]), Some((7, 14)));
        assert_eq!(super::closing("+++\n", &["+++"]), Some((0, 4)));
        assert_eq!(super::closing("x: 1\n...\n", &["---", "..."]), Some((5, 9)));
        assert_eq!(super::closing("a = 1\n++++\n", &["+++"]), None);
        assert_eq!(super::closing("a = 1\n+++", &["+++"]), Some((6, 9)));
    }
}
