#!/usr/bin/env python3
"""Writes a deterministic synthetic news site for benchmarks.

    benches/gen_corpus.py OUT_DIR [N_ARTICLES]

N articles (default 10,000) of about 800 words of realistic Markdown
(paragraphs, subheadings, links, emphasis, lists, quotes, an image), in 8
sections, each by 1-2 of 60 authors, with 3-6 of 400 tags (Zipf-weighted),
dated over three years. Words follow a Zipf distribution over a vocabulary
of common English words and invented names, as news text does. The same
arguments always give byte-identical files. Writes a Broadsheet site
(site.toml + content/) and, beside it, the same articles as a Hugo site
(hugo/content/) for the comparison in benches/compare.sh.
"""
import itertools
import os
import random
import sys

SECTIONS = ["news", "world", "politics", "business", "technology", "science", "culture", "sports"]
COMMON = """the of and to a in is that for it as was with be by on not he this are or his from at which but
have an they you were her she there been one all we their has would when if so no will more about can said
them what out who up into time only could new year some people other than over just also after two first any
these may such most made then over city council government police report week month plan public school
state national local company market price money health water power road bus train ferry harbour port court
judge vote election party minister mayor budget tax home house family children students teachers doctors
hospital officials residents workers union strike deal talks agreement plan project company shares profits
growth rate inflation jobs business investment energy climate weather storm flood fire season team match
game goal win lose coach players fans stadium club league final record history museum music film festival
book author art theatre science research study data computer software phone internet security attack
court case law rights police crime arrest charge trial community council meeting street centre district
county region country border war peace army talks leaders summit president prime support opposition
critics campaign policy reform cost fund bill debate decision statement spokesman spokeswoman according
million billion percent number half third quarter day night morning evening monday tuesday wednesday
thursday friday saturday sunday january february march april may june july august september october
november december north south east west river bridge island coast bay hill valley village town""".split()


def invented_words(rng, n):
    """Names and rarer words: pronounceable, deterministic."""
    onsets = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr", "r",
              "s", "st", "t", "tr", "v", "w", "z", "sh", "th", "cl", "fl", "pl", "sl"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ie"]
    codas = ["", "n", "r", "s", "t", "l", "m", "nd", "rt", "st", "x", "ck", "ng"]
    words = set()
    while len(words) < n:
        syllables = rng.choice([2, 2, 3, 3, 4])
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables)))
    return sorted(words)


def zipf_weights(n, s):
    return [1.0 / (k ** s) for k in range(1, n + 1)]


class Writer:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        vocab = COMMON + invented_words(random.Random(seed + 1), 6000)
        self.vocab = vocab
        self.cum = list(itertools.accumulate(zipf_weights(len(vocab), 1.07)))
        self.tags = [f"topic {w}" for w in invented_words(random.Random(seed + 2), 400)]
        self.tag_cum = list(itertools.accumulate(zipf_weights(400, 1.0)))

    def words(self, n):
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=n)

    def sentence(self):
        w = self.words(self.rng.randint(8, 24))
        if self.rng.random() < 0.15:
            i = self.rng.randrange(len(w))
            w[i] = f"*{w[i]}*"
        if self.rng.random() < 0.08:
            i = self.rng.randrange(len(w))
            w[i] = f"[{w[i]}](https://example.org/{w[i].strip('*')})"
        text = " ".join(w)
        return text[0].upper() + text[1:] + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def body(self, target=800):
        parts, count = [], 0
        while count < target:
            roll = self.rng.random()
            if roll < 0.10 and parts:
                parts.append("## " + " ".join(self.words(self.rng.randint(3, 6))).capitalize())
            elif roll < 0.16:
                parts.append("\n".join("- " + " ".join(self.words(self.rng.randint(4, 10))) for _ in range(3)))
            elif roll < 0.20:
                parts.append("> " + self.sentence())
            else:
                parts.append(self.paragraph())
            count += len(parts[-1].split())
        parts.insert(min(3, len(parts)), "![" + " ".join(self.words(5)) + "](/images/photo.png)")
        return "\n\n".join(parts) + "\n"

    def pick_tags(self):
        chosen = []
        while len(chosen) < self.rng.randint(3, 6):
            t = self.rng.choices(self.tags, cum_weights=self.tag_cum, k=1)[0]
            if t not in chosen:
                chosen.append(t)
        return chosen


def toml_list(items):
    return "[" + ", ".join('"' + i + '"' for i in items) + "]"


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    w = Writer(2026)
    os.makedirs(os.path.join(out, "static", "images"), exist_ok=True)
    authors = [f"author-{i:02d}" for i in range(60)]
    with open(os.path.join(out, "site.toml"), "w") as f:
        f.write('title = "Benchmark Gazette"\nbase_url = "https://bench.example.com/"\n'
                'timezone = "America/New_York"\nper_page = 20\n')
        for i, key in enumerate(authors):
            f.write(f'\n[authors.{key}]\nname = "Reporter {i:02d}"\nbio = "Covers beat {i}."\n')
    # A 1x1 PNG for the image every article shows.
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                        "0000000c4944415408d763f8ffff3f0005fe02fedccc59e70000000049454e44ae426082")
    with open(os.path.join(out, "static", "images", "photo.png"), "wb") as f:
        f.write(png)
    hugo = os.path.join(out, "hugo", "content")
    for s in SECTIONS:
        os.makedirs(os.path.join(out, "content", s), exist_ok=True)
        os.makedirs(os.path.join(hugo, s), exist_ok=True)
        with open(os.path.join(out, "content", s, "_index.md"), "w") as f:
            f.write(f'+++\ntitle = "{s.capitalize()}"\norder = {SECTIONS.index(s) + 1}\n+++\n')
        with open(os.path.join(hugo, s, "_index.md"), "w") as f:
            f.write(f'+++\ntitle = "{s.capitalize()}"\n+++\n')
    start = 1_700_000_000  # 2023-11-14
    span = 3 * 365 * 86_400
    for i in range(n):
        section = SECTIONS[i % len(SECTIONS)]
        title = " ".join(w.words(w.rng.randint(6, 12))).capitalize()
        summary = w.sentence()
        by = w.rng.sample(authors, w.rng.choice([1, 1, 1, 2]))
        tags = w.pick_tags()
        stamp = start + (i * span) // n + w.rng.randrange(3600)
        import datetime
        date = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = w.body()
        slug = f"story-{i:06d}"
        front = (f'title = "{title}"\ndate = {date}\nsummary = "{summary}"\n'
                 f"authors = {toml_list(by)}\ntags = {toml_list(tags)}\n")
        with open(os.path.join(out, "content", section, slug + ".md"), "w") as f:
            f.write(f"+++\n{front}+++\n\n{body}")
        with open(os.path.join(hugo, section, slug + ".md"), "w") as f:
            f.write(f"+++\n{front}+++\n\n{body}")


if __name__ == "__main__":
    main()
