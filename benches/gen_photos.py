#!/usr/bin/env python3
"""Writes a deterministic synthetic news site with photos for benches/photos.sh.

    benches/gen_photos.py WORK N_ARTICLES

Needs Pillow (benches/photos.sh installs it into a venv of its own when the
Python it finds lacks it): a 4000x3000 JPEG written with the standard library
alone would take minutes per photo.

The photos are made once into WORK/photos/ and shared by every corpus size:
`hero-000123.jpg` (4000x3000, JPEG quality 88, 1.5-4 MB) for article 123 and,
for one article in five, `body-000123.jpg` (3000x2000) that its Markdown
shows. Each is seeded by its article's number: smooth sky and ground
gradients, soft-edged shapes, blotchy mid-scale texture and fine grain, so
JPEG sizes are a camera's, not a flat picture's. Each carries camera EXIF
(make, model, date, artist) and one in four a GPS position, so the stripping
can be checked. Photos are written to a temporary name and renamed, so an
interrupted run resumes.

Then WORK/corpus-N/ gets three sites sharing the photos (hard links):

    site/   Broadsheet: content/<section>/story-NNNNNN/index.md + photo.jpg
            (+ body.jpg), `image = { src = "photo.jpg", alt = "..." }`
    noimg/  the same site without heroes: no `image` line, no photo.jpg
            (body pictures stay: they are part of the article's text)
    hugo/   the same bundles as Hugo content (layouts come from photos.sh)

and WORK/corpus-N/.complete when all is written.
"""
import datetime
import multiprocessing
import os
import random
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_corpus import SECTIONS, Writer, toml_list  # noqa: E402

HERO = (4000, 3000)
BODY = (3000, 2000)


def tone(rng, base, spread=25):
    return tuple(max(0, min(255, int(c + rng.gauss(0, spread)))) for c in base)


def noise(rng, size, sigma):
    """Grey noise around 128 with standard deviation `sigma`, from `rng`
    (Pillow's effect_noise uses C's unseeded rand())."""
    k = sigma / 73.9  # the standard deviation of bytes uniform over 0-255
    lut = [max(0, min(255, round(128 + (v - 127.5) * k))) for v in range(256)]
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).point(lut)


def picture(seed, size):
    """A photo-like RGB picture: the same seed always gives the same pixels."""
    w, h = size
    rng = random.Random(seed)
    sky = (rng.randint(90, 200), rng.randint(120, 210), rng.randint(150, 235))
    ground = (rng.randint(50, 140), rng.randint(50, 130), rng.randint(30, 110))
    # Light: a few colours spread smoothly over the frame, sky above ground.
    small = Image.new("RGB", (6, 5))
    small.putdata([tone(rng, sky if i < 12 else ground) for i in range(30)])
    lw, lh = w // 4, h // 4
    layer = small.resize((lw, lh), Image.BICUBIC)
    # Things in the scene: soft-edged shapes in the lower two thirds.
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(20, 50)):
        x, y = rng.randrange(lw), rng.randrange(lh // 3, lh)
        r = rng.randint(8, 160)
        colour = tone(rng, ground if rng.random() < 0.7 else (200, 190, 180))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r * rng.uniform(0.3, 1.5), x + r, y + r), fill=colour)
        else:
            points = [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(rng.randint(3, 6))]
            draw.polygon(points, fill=colour)
    layer = layer.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 2.5)))
    # Texture at a middle scale (foliage, walls), then the sensor's grain.
    mid = noise(rng, (lw // 2, lh // 2), rng.uniform(8, 22)).resize((lw, lh), Image.BICUBIC)
    layer = ImageChops.add(layer, Image.merge("RGB", (mid, mid, mid)), 1.0, -128)
    image = layer.resize((w, h), Image.BICUBIC)
    fine = noise(rng, (w, h), rng.uniform(2.5, 6))
    return ImageChops.add(image, Image.merge("RGB", (fine, fine, fine)), 1.0, -128)


def camera_exif(seed):
    rng = random.Random(seed)
    exif = Image.Exif()
    exif[0x010F] = rng.choice(["Canon", "NIKON CORPORATION", "SONY", "Apple"])  # Make
    exif[0x0110] = rng.choice(["EOS R6", "Z 6_2", "ILCE-7M4", "iPhone 15 Pro"])  # Model
    exif[0x0132] = f"2025:{rng.randint(1, 12):02d}:{rng.randint(1, 28):02d} 12:{rng.randint(0, 59):02d}:00"
    exif[0x013B] = f"Staff Photographer {rng.randint(1, 40)}"  # Artist
    exif[0x0131] = "Camera firmware 1.0"  # Software
    if rng.random() < 0.25:
        exif[0x8825] = {  # GPS IFD
            1: "N", 2: (40.0, float(rng.randint(0, 59)), float(rng.randint(0, 59))),
            3: "W", 4: (73.0, float(rng.randint(0, 59)), float(rng.randint(0, 59))),
        }
    return exif


def make_photo(job):
    path, seed, size = job
    if os.path.exists(path):
        return
    tmp = f"{path}.{os.getpid()}.part"
    picture(seed, size).save(tmp, "JPEG", quality=88, exif=camera_exif(seed))
    os.rename(tmp, path)


def has_body_photo(i):
    return i % 5 == 2


def link(src, dst):
    if not os.path.exists(dst):
        os.link(src, dst)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    work, n = sys.argv[1], int(sys.argv[2])
    photos = os.path.join(work, "photos")
    os.makedirs(photos, exist_ok=True)
    jobs = [(os.path.join(photos, f"hero-{i:06d}.jpg"), i, HERO) for i in range(n)]
    jobs += [(os.path.join(photos, f"body-{i:06d}.jpg"), 1_000_000 + i, BODY) for i in range(n) if has_body_photo(i)]
    todo = [j for j in jobs if not os.path.exists(j[0])]
    if todo:
        print(f"making {len(todo)} photos in {photos} ...", flush=True)
        with multiprocessing.Pool(os.cpu_count()) as pool:
            for k, _ in enumerate(pool.imap_unordered(make_photo, todo, chunksize=4), 1):
                if k % 50 == 0 or k == len(todo):
                    print(f"  {k}/{len(todo)}", flush=True)

    corpus = os.path.join(work, f"corpus-{n}")
    sites = {kind: os.path.join(corpus, kind) for kind in ("site", "noimg", "hugo")}
    w = Writer(2026)
    authors = [f"author-{i:02d}" for i in range(20)]
    config = ('title = "Photo Gazette"\nbase_url = "https://photos.example.com/"\n'
              'timezone = "America/New_York"\nper_page = 20\n')
    for i, key in enumerate(authors):
        config += f'\n[authors.{key}]\nname = "Reporter {i:02d}"\nbio = "Covers beat {i}."\n'
    # Search off, as in benches/corpus.sh: Hugo builds no search index.
    config += "\n[search]\nenabled = false\n"
    for kind in ("site", "noimg"):
        write(os.path.join(sites[kind], "site.toml"), config)
    for s in SECTIONS:
        for kind in ("site", "noimg"):
            write(os.path.join(sites[kind], "content", s, "_index.md"),
                  f'+++\ntitle = "{s.capitalize()}"\norder = {SECTIONS.index(s) + 1}\n+++\n')
        write(os.path.join(sites["hugo"], "content", s, "_index.md"), f'+++\ntitle = "{s.capitalize()}"\n+++\n')
    start = 1_700_000_000  # 2023-11-14, two years of stories, all in the past
    span = 2 * 365 * 86_400
    for i in range(n):
        section = SECTIONS[i % len(SECTIONS)]
        title = " ".join(w.words(w.rng.randint(6, 12))).capitalize()
        summary = w.sentence()
        alt = " ".join(w.words(6)).capitalize()
        by = w.rng.sample(authors, w.rng.choice([1, 1, 1, 2]))
        tags = w.pick_tags()
        stamp = start + (i * span) // n + w.rng.randrange(3600)
        date = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        paragraphs = [w.paragraph() for _ in range(6)]
        if has_body_photo(i):
            paragraphs.insert(3, "![" + " ".join(w.words(5)).capitalize() + "](body.jpg)")
        body = "\n\n".join(paragraphs) + "\n"
        front = (f'title = "{title}"\ndate = {date}\nsummary = "{summary}"\n'
                 f"authors = {toml_list(by)}\ntags = {toml_list(tags)}\n")
        hero = f'image = {{ src = "photo.jpg", alt = "{alt}" }}\n'
        rel = os.path.join("content", section, f"story-{i:06d}")
        for kind, site in sites.items():
            bundle = os.path.join(site, rel)
            write(os.path.join(bundle, "index.md"), f"+++\n{front}{'' if kind == 'noimg' else hero}+++\n\n{body}")
            if kind != "noimg":
                link(os.path.join(photos, f"hero-{i:06d}.jpg"), os.path.join(bundle, "photo.jpg"))
            if has_body_photo(i):
                link(os.path.join(photos, f"body-{i:06d}.jpg"), os.path.join(bundle, "body.jpg"))
    with open(os.path.join(corpus, ".complete"), "w") as f:
        f.write(f"{n}\n")


if __name__ == "__main__":
    main()
