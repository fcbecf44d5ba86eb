"""Extracts a small subset of schema.org's official vocabulary into
tests/schemas/schemaorg-subset.json, so the Rust tests can check the JSON-LD
we emit against schema.org's definitions without the full vocabulary.

For each type in TYPES it records the supertypes (rdfs:subClassOf, followed
transitively, nearest first) and every property whose schema:domainIncludes
names the type or one of its supertypes. For each property in RANGES it
records schema:rangeIncludes.

Input is the release file data/releases/<newest>/schemaorg-current-https.jsonld
(core + pending, without the retired "attic" terms) from a checkout of
https://github.com/schemaorg/schemaorg. The newest release folder is picked
automatically unless --release is given.

To regenerate, from the repository root:

    git clone --depth 1 https://github.com/schemaorg/schemaorg /tmp/schemaorg
    python3 tests/tools/schemaorg_subset.py /tmp/schemaorg

A bare clone or mirror also works (files are read with `git show HEAD:...`):

    python3 tests/tools/schemaorg_subset.py --git-dir /path/to/schemaorg.git

Output goes to tests/schemas/schemaorg-subset.json unless -o is given.
Needs only the Python 3 standard library (and git, for the commit id).
"""
import argparse
import json
import pathlib
import subprocess
import sys

TYPES = [
    "LiveBlogPosting", "BlogPosting", "NewsArticle", "Article",
    "CreativeWorkSeries", "CreativeWork", "Person", "Organization",
    "ImageObject", "WebPage", "WebSite", "BreadcrumbList", "ListItem",
    "Place", "Thing",
]
RANGES = [
    "coverageStartTime", "coverageEndTime", "liveBlogUpdate", "isPartOf",
    "position", "hasPart", "datePublished", "dateModified", "headline",
    "articleBody", "author", "publisher", "url",
]
RELEASE_FILE = "schemaorg-current-https.jsonld"
DEFAULT_OUT = pathlib.Path(__file__).resolve().parents[1] / "schemas" / "schemaorg-subset.json"


def version_key(v):
    return tuple(int(p) if p.isdigit() else 0 for p in v.split("."))


class Checkout:
    """Reads files from a work tree, or from a git dir via `git show HEAD:`."""

    def __init__(self, path=None, git_dir=None):
        self.path = pathlib.Path(path) if path else None
        self.git = ["git", "--git-dir", git_dir] if git_dir else ["git", "-C", path]
        self.git_dir = git_dir

    def run(self, *args):
        return subprocess.run(self.git + list(args), check=True,
                              capture_output=True).stdout

    def commit(self):
        try:
            return self.run("rev-parse", "HEAD").decode().strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            return "unknown"

    def releases(self):
        if self.git_dir:
            out = self.run("ls-tree", "--name-only", "HEAD", "data/releases/").decode()
            names = [line.rsplit("/", 1)[-1] for line in out.split()]
        else:
            names = [p.name for p in (self.path / "data" / "releases").iterdir() if p.is_dir()]
        return sorted((n for n in names if n[:1].isdigit()), key=version_key)

    def read(self, rel):
        if self.git_dir:
            return self.run("show", "HEAD:" + rel)
        return (self.path / rel).read_bytes()


def ids(value):
    """schema:foo / {'@id': 'schema:Foo'} / list thereof -> ['Foo', ...]."""
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    out = []
    for v in value:
        i = v["@id"] if isinstance(v, dict) else v
        if i.startswith("schema:"):
            out.append(i[len("schema:"):])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkout", nargs="?", help="schema.org work tree")
    ap.add_argument("--git-dir", help="schema.org bare repo / mirror instead of a work tree")
    ap.add_argument("--release", help="release folder (default: newest)")
    ap.add_argument("-o", "--output", default=str(DEFAULT_OUT))
    args = ap.parse_args()
    if not args.checkout and not args.git_dir:
        ap.error("give a checkout path or --git-dir")

    co = Checkout(args.checkout, args.git_dir)
    release = args.release or co.releases()[-1]
    rel_path = f"data/releases/{release}/{RELEASE_FILE}"
    graph = json.loads(co.read(rel_path))["@graph"]

    parents = {}   # class -> [direct superclasses]
    domains = {}   # property -> [types]
    ranges = {}    # property -> [types]
    for node in graph:
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        name = ids(node["@id"])
        if not name:
            continue
        name = name[0]
        if "rdfs:Class" in kinds:
            parents[name] = ids(node.get("rdfs:subClassOf"))
        if "rdf:Property" in kinds:
            domains[name] = ids(node.get("schema:domainIncludes"))
            ranges[name] = ids(node.get("schema:rangeIncludes"))

    def supertypes(t):
        seen, queue = [], list(parents[t])
        while queue:
            p = queue.pop(0)
            if p not in seen:
                seen.append(p)
                queue.extend(parents.get(p, []))
        return seen

    types = {}
    for t in TYPES:
        if t not in parents:
            sys.exit(f"type {t} not in {rel_path}")
        sup = supertypes(t)
        valid = {t, *sup}
        props = sorted(p for p, ds in domains.items() if valid.intersection(ds))
        types[t] = {"supertypes": sup, "properties": props}

    out_ranges = {}
    for p in RANGES:
        if p not in ranges:
            sys.exit(f"property {p} not in {rel_path}")
        out_ranges[p] = sorted(ranges[p])

    result = {
        "source": f"github.com/schemaorg/schemaorg {rel_path} "
                  f"(release {release}, commit {co.commit()})",
        "types": types,
        "ranges": out_ranges,
    }
    out = pathlib.Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes) from {result['source']}")


if __name__ == "__main__":
    main()
