"""Parses every feed under a built site with feedparser (the library real
feed readers use) and prints what it saw as JSON, for the Rust tests.

Usage: python3 check_feeds.py OUTPUT_DIR
"""
import json
import pathlib
import sys

import feedparser

root = pathlib.Path(sys.argv[1])
report = {}
for path in sorted(root.rglob("*.xml")):
    if "sitemap" in path.name:
        continue
    parsed = feedparser.parse(str(path))
    report[path.relative_to(root).as_posix()] = {
        "bozo": bool(parsed.bozo),
        "error": str(parsed.get("bozo_exception", "")),
        "version": parsed.version,
        "title": parsed.feed.get("title"),
        "entries": [
            {
                "title": e.get("title"),
                "link": e.get("link"),
                "id": e.get("id"),
                "published": e.get("published"),
                "updated": e.get("updated"),
                "authors": [a.get("name") for a in e.get("authors", [])],
                "tags": [t.get("term") for t in e.get("tags", [])],
                "has_content": bool(e.get("content")),
                "content": (e.get("content") or [{}])[0].get("value", ""),
                "enclosures": [x.get("href") for x in e.get("enclosures", [])],
            }
            for e in parsed.entries
        ],
    }
json.dump(report, sys.stdout)
