// The search index's format, as static/js/search.js reads it, under Node's
// own test runner: no browser. tests/integration/search_node.rs writes the
// index with the Rust side and runs this file with BROADSHEET_SEARCH_INDEX
// set to its `_search/` folder:
//
//   0     /about/                     a page: no section, no date; "harbour" in its text
//   1-10  /notices/<n>/               pages, so that the stories' numbers need base-36 letters
//   11-14 /market/<name>/             pages: "market" in three, "marketplace" in one (its headline's first word)
//   15    /news/council-harbour-plan/ News,  10 Jan 2024: "the harbour plan"
//   16    /sport/rowers-win/          Sport,  5 Feb 2024: "harbour"
//   17    /news/bus-drivers/          News,   1 Mar 2024: "striking"
//   18    /news/harbour-questions/    News,  20 Mar 2024: "plan" and "harbour", apart
//   19    /news/storm-live/           News,   2 Apr 2024: a live blog, "ferry" in an update
//
// Every story has the byline "Ada Reporter".
//
// Run it by hand with `cargo test --test integration search_node`.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import zlib from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const engine = require(path.join(here, "../../static/js/search.js"));

const index = process.env.BROADSHEET_SEARCH_INDEX;

// The files the engine asked for, as paths under `_search/`.
let fetched = [];

// A fetch of the index's files from disk, as a static host answers it: the
// file's bytes as they are (gzipped but `index.json`). `?v=` (the version
// the page adds so a new index is fetched again) is left out.
function fetchFile(url) {
  const rel = url.slice("index/".length).split("?")[0];
  fetched.push(rel);
  return readFile(path.join(index, rel)).then(
    (bytes) => new Response(bytes),
    () => new Response("not found", { status: 404 }),
  );
}

// A file of the index as JSON, inflated as the page inflates it.
async function readIndexFile(rel) {
  const bytes = await readFile(path.join(index, rel));
  return rel.endsWith(".gz") ? JSON.parse(zlib.gunzipSync(bytes).toString("utf8")) : JSON.parse(bytes.toString("utf8"));
}

before(() => {
  assert.ok(index, "BROADSHEET_SEARCH_INDEX is not set: run `cargo test --test integration search_node`");
  engine.open("index/", fetchFile);
});

// The URLs of the first `count` results, as a reader's page shows them (the
// page trims what was typed).
async function urls(query, section = "", sort = "relevance", count = 10) {
  const found = await engine.results(query.trim(), section, sort, count);
  return found.results.map((r) => r.url);
}

const sorted = (list) => [...list].sort();

test("a word finds the stories that have it", async () => {
  assert.deepEqual(
    sorted(await urls("harbour")),
    ["/about/", "/news/council-harbour-plan/", "/news/harbour-questions/", "/sport/rowers-win/"],
  );
  assert.deepEqual(await urls("rowing"), ["/sport/rowers-win/"]);
  // Case and diacritics as the index folds them.
  assert.deepEqual(await urls("FÉRRY"), ["/news/storm-live/"]);
});

test("a word in a headline ranks above the same word only in the text", async () => {
  const found = await urls("harbour");
  assert.equal(found.at(-1), "/about/", `the page has "harbour" only in its text: ${found}`);
});

test("another form of a word finds it (stemming)", async () => {
  // The story says "striking".
  assert.deepEqual(await urls("strike"), ["/news/bus-drivers/"]);
  assert.deepEqual(await urls("strikes"), ["/news/bus-drivers/"]);
  assert.deepEqual(await urls("striking"), ["/news/bus-drivers/"]);
  assert.deepEqual(await urls("walked"), ["/news/bus-drivers/"]);
});

test("a quoted phrase finds its words only together and in order", async () => {
  assert.deepEqual(sorted(await urls("harbour plan ")), ["/news/council-harbour-plan/", "/news/harbour-questions/"]);
  assert.deepEqual(await urls('"harbour plan"'), ["/news/council-harbour-plan/"]);
  assert.deepEqual(await urls('"plan harbour"'), []);
  assert.deepEqual(await urls('"the harbour plan" council'), ["/news/council-harbour-plan/"]);
});

test("every word must be there", async () => {
  assert.deepEqual(await urls("harbour rowing"), ["/sport/rowers-win/"]);
  assert.deepEqual(await urls("harbour ferry"), []);
});

test("newest first is by date, the undated page last", async () => {
  assert.deepEqual(await urls("harbour", "", "newest"), [
    "/news/harbour-questions/",
    "/sport/rowers-win/",
    "/news/council-harbour-plan/",
    "/about/",
  ]);
  // Bylines are found too: every story has one.
  assert.deepEqual(await urls("reporter", "", "newest"), [
    "/news/storm-live/",
    "/news/harbour-questions/",
    "/news/bus-drivers/",
    "/sport/rowers-win/",
    "/news/council-harbour-plan/",
  ]);
});

test("the section filter keeps the section's stories only", async () => {
  assert.deepEqual(await urls("harbour", "Sport"), ["/sport/rowers-win/"]);
  assert.deepEqual(
    await urls("harbour", "News", "newest"),
    ["/news/harbour-questions/", "/news/council-harbour-plan/"],
  );
  assert.deepEqual(await urls("ferry", "Sport"), []);
  assert.deepEqual(await urls("harbour", "Weather"), [], "a section the site does not have");
});

test("the word typed ranks above rarer longer words it starts", async () => {
  const found = await urls("market");
  assert.equal(found.length, 4, `${found}`);
  assert.equal(found.at(-1), "/market/app/", `only "marketplace" is there: ${found}`);
});

test("a word being typed finds the longer words it starts", async () => {
  assert.deepEqual(
    sorted(await urls("harb")),
    ["/about/", "/news/council-harbour-plan/", "/news/harbour-questions/", "/sport/rowers-win/"],
  );
  assert.deepEqual(await urls("storm fer"), ["/news/storm-live/"]);
  // Not once typing is over.
  assert.deepEqual(await urls('"harb"'), []);
});

test("a word no story has finds nothing", async () => {
  const found = await engine.results("zebra", "", "relevance", 10);
  assert.equal(found.total, 0);
  assert.deepEqual(found.results, []);
  assert.deepEqual(await urls("zebra harbour"), []);
});

test("a live blog is found by the words of its updates", async () => {
  assert.deepEqual(await urls("gale"), ["/news/storm-live/"]);
  assert.deepEqual(await urls('"evening ferry"'), ["/news/storm-live/"]);
});

test("each result is as the site wrote it", async () => {
  const storm = (await engine.results("ferry", "", "relevance", 10)).results;
  assert.equal(storm.length, 1);
  assert.deepEqual(
    { url: storm[0].url, title: storm[0].title, section: storm[0].section, date: storm[0].date, shown: storm[0].shown },
    {
      url: "/news/storm-live/",
      title: "Storm live",
      section: "News",
      date: "2024-04-02T09:30:00+01:00",
      shown: "2 April 2024",
    },
  );
  assert.match(storm[0].excerpt, /The evening <mark>ferry<\/mark> was cancelled/);

  const all = (await engine.results("harbour", "", "newest", 10)).results;
  const byUrl = Object.fromEntries(all.map((r) => [r.url, r]));
  assert.deepEqual(
    [byUrl["/sport/rowers-win/"].title, byUrl["/sport/rowers-win/"].section, byUrl["/sport/rowers-win/"].date],
    ["Rowers win on the harbour", "Sport", "2024-02-05T09:30:00+00:00"],
  );
  assert.equal(byUrl["/news/council-harbour-plan/"].shown, "10 January 2024");
  const about = byUrl["/about/"];
  assert.equal(about.title, "About the Gazette");
  assert.equal(about.section, undefined, "a page has no section");
  assert.equal(about.date, undefined, "a page has no date");
  assert.match(about.excerpt, /small <mark>harbour<\/mark> town/);
});

test("results come a page at a time, counting every match", async () => {
  const first = await engine.results("harbour", "", "newest", 2);
  assert.equal(first.total, 4);
  assert.equal(first.left, 2);
  assert.deepEqual(first.results.map((r) => r.url), ["/news/harbour-questions/", "/sport/rowers-win/"]);
});

test("a search fetches only the files its words need", async () => {
  engine.open("index/", fetchFile);
  fetched = [];
  await urls("gale");
  assert.ok(fetched.includes("index.json"), `${fetched}`);
  const documents = fetched.filter((f) => f.startsWith("d/"));
  assert.deepEqual(documents, ["d/0/19.json.gz"], "the one result's document, no other");
  assert.ok(!fetched.some((f) => f.startsWith("p/")), `no pair files without a phrase: ${fetched}`);
  assert.ok(!fetched.some((f) => f.startsWith("sec/")), `no section file without a filter: ${fetched}`);
  assert.ok(!fetched.some((f) => f.startsWith("v/")), `no vocabulary for a word that is found: ${fetched}`);
});

test("the status line shows the query once quoted", () => {
  assert.equal(engine.describe({ query: "harbour", total: 3 }), "3 stories match “harbour”.");
  assert.equal(engine.describe({ query: '"city council"', total: 1 }), '1 story matches "city council".');
  assert.equal(engine.describe({ query: "gale", total: 0 }), "No stories match “gale”.");
});

test("a longer word in a headline ranks below the word itself once in a text", async () => {
  // "Marketplace app for traders" has the longer word twice, in its
  // headline first; "Stalls for rent" says "market" once, in its text.
  const found = await urls("market");
  assert.deepEqual(found.slice(0, 3).sort(), ["/market/hall/", "/market/hours/", "/market/stalls/"], `${found}`);
  assert.equal(found.at(-1), "/market/app/");
  // Typed as a word to come, the longer word's page is found all the same.
  assert.ok((await urls("marketp")).includes("/market/app/"));
});

test("edits count insertions, deletions, changes and swapped neighbours", () => {
  assert.equal(engine.edits("harbuor", "harbour", 2), 1, "a swap is one edit");
  assert.equal(engine.edits("harbor", "harbour", 2), 1);
  assert.equal(engine.edits("hrbr", "harbour", 2), 3, "more than the most is the most plus one");
  assert.equal(engine.edits("café", "cafe", 2), 1);
  assert.equal(engine.edits("council", "council", 2), 0);
});

test("a misspelt word is offered the index's nearest word", async () => {
  const offered = async (query) => (await engine.results(query, "", "relevance", 10)).suggestion;
  assert.equal(await offered("harbuor"), "harbour");
  assert.equal(await offered("Harbuor plan"), "Harbour plan", "the other words and a capital kept");
  assert.equal(await offered('"harbour paln"'), '"harbour plan"', "in a phrase, the quotes kept");
  assert.equal(await offered("fery "), "ferry", "a short word, one edit");
  assert.equal(await offered("gael"), "gale");
  assert.equal(await offered("stirking"), "striking", "a word whose stem differs");
  // Found words are not corrected, and a word far from every other is left alone.
  assert.equal(await offered("harbour plan"), null);
  assert.equal(await offered("zebra"), null);
});

test("suggestions come from the vocabulary files, fetched only then", async () => {
  engine.open("index/", fetchFile);
  fetched = [];
  await engine.results("harbuor", "", "relevance", 10);
  const vocabulary = fetched.filter((f) => f.startsWith("v/"));
  assert.ok(vocabulary.length >= 1 && vocabulary.length <= 2, `${fetched}`);
  assert.ok(!fetched.some((f) => f.startsWith("d/")), `no document for no result: ${fetched}`);
});

test("the latest stories, newest first, for a search that finds nothing", async () => {
  const latest = await engine.latest(3);
  assert.deepEqual(latest.map((d) => d.url), ["/news/storm-live/", "/news/harbour-questions/", "/news/bus-drivers/"]);
});

test("a phrase in a phone keyboard's curly quotes is a phrase, shown as typed", async () => {
  assert.deepEqual(await urls("\u201charbour plan\u201d"), ["/news/council-harbour-plan/"]);
  assert.equal(engine.describe({ query: "\u201ccity council\u201d", total: 1 }), "1 story matches \u201ccity council\u201d.");
  assert.equal(engine.describe({ query: "\u00abcity council\u00bb", total: 0 }), "No stories match \u00abcity council\u00bb.");
});

test("a large site's vocabulary, in many files, still offers the nearest word", async () => {
  // The fixture's vocabulary cut into files of three words, as a site of
  // many stories has hundreds of files: a letter then starts more words
  // than the page fetches, and it looks by the first two letters, or
  // among the words sorted near the one typed.
  const meta = await readIndexFile("index.json");
  const words = {};
  for (let i = 0; i < meta.vocabulary.length; i++) {
    Object.assign(words, await readIndexFile(`v/${i}.json.gz`));
  }
  const sorted = Object.keys(words).sort();
  const cut = [];
  for (let i = 0; i < sorted.length; i += 3) cut.push(Object.fromEntries(sorted.slice(i, i + 3).map((w) => [w, words[w]])));
  const many = { ...meta, vocabulary: cut.map((file) => Object.keys(file)[0]) };
  const asked = [];
  engine.open("index/", (url) => {
    const rel = url.slice("index/".length).split("?")[0];
    asked.push(rel);
    const served = rel === "index.json" ? many : rel.startsWith("v/") ? cut[Number(rel.slice(2, -".json.gz".length))] : null;
    // Served as JSON, as a host that decodes the gzip itself sends it.
    return served ? Promise.resolve(new Response(JSON.stringify(served))) : fetchFile(url);
  });
  try {
    assert.ok(cut.length > 20, `${cut.length} files`);
    for (const [typed, meant] of [["harbuor", "harbour"], ["stirking", "striking"], ["councl", "council"], ["ahrbour", "harbour"]]) {
      asked.length = 0;
      assert.equal((await engine.results(typed, "", "relevance", 10)).suggestion, meant, typed);
      assert.ok(asked.filter((f) => f.startsWith("v/")).length <= 8, `${typed}: ${asked}`);
    }
  } finally {
    engine.open("index/", fetchFile);
  }
});
