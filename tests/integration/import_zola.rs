//! Import conformance (issue 31): cases found on real sites, with the old
//! URLs the real generator gives, checked after `import` and `build`.

#[allow(unused_imports)]
use crate::harness::{SiteTest, copy_tree, repo};
