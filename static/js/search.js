// Broadsheet search page: runs the query in the URL (?q=...&section=...&sort=...)
// against the site's static index (see crates/search/src/lib.rs for its files),
// fetching only the parts its words need. No server, no WebAssembly.
// Without a page (Node, testing the index format: tests/js/) it is the
// engine alone, exported at the end.
(function () {
  "use strict";
  var page = typeof document !== "undefined";
  // The page's words when the site is not in English: the script tag's
  // data-words (the phrases of the site's i18n/ file), else English.
  var pageWords = (function (script) {
    try { return JSON.parse((script && script.getAttribute("data-words")) || "{}"); } catch (e) { return {}; }
  })(typeof document !== "undefined" ? document.currentScript : null);
  function tr(key, english) {
    return typeof pageWords[key] === "string" ? pageWords[key] : english;
  }
  // A counted phrase ("3 new updates") in the page's language: its forms
  // are chosen by the browser's plural rules for <html lang>.
  function counted(key, n, english) {
    var forms = pageWords[key];
    if (!forms || typeof forms !== "object") return english;
    var category = "other";
    try { category = new Intl.PluralRules((page && document.documentElement.lang) || undefined).select(n); } catch (e) {}
    return String(forms[category] || forms.other || english);
  }
  var form = page ? document.querySelector(".search-form") : null;
  if (page && !form) return;
  var input = form && form.querySelector("[name=q]");
  var section = form && form.querySelector("[name=section]");
  var status = form && document.querySelector(".search-status");
  var list = form && document.querySelector(".search-results");
  var more = form && document.querySelector(".search-more");
  // "Did you mean …", and what a search that finds nothing offers instead
  // (templates/search.html): the newest stories, and the sections.
  var suggestion = form && document.querySelector(".search-suggestion");
  var empty = form && document.querySelector(".search-empty");
  var base = form ? form.getAttribute("data-index") : "";
  // The page's fetch, unless the engine is given another (Node's tests
  // read the index from disk).
  var fetcher = null;
  function load(url, init) {
    return fetcher ? fetcher(url, init) : fetch(url, init);
  }
  var PAGE = 10;
  // Words as the index has them: runs of letters, digits and marks,
  // lower-cased, without diacritics; one letter alone is not a word, nor
  // are runs of more than 32 (src/search/analyze.rs does the same).
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  var MAX_WORD = 32;
  var PREFIX_FILES = 3;
  var PREFIX_STEMS = 30;
  // Documents per block of a long list (crates/search/src/lib.rs, SKIP_BLOCK).
  var BLOCK = 64;

  // Time spent working (not waiting for files) on the current search.
  var busy = 0;
  function working(fn) {
    return function () {
      var t = performance.now();
      try { return fn.apply(this, arguments); } finally { busy += performance.now() - t; }
    };
  }

  var meta = null;
  var files = {};
  var postings = {};
  var runs = 0;
  var current = null;

  var ASCII = /^[\x00-\x7f]*$/;
  var ASCII_WORD = /[a-z0-9]+/g;

  function fold(word) {
    if (ASCII.test(word)) return word.toLowerCase();
    return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  }

  function isWord(folded) {
    var n = folded.length;
    if (n > 2 && n <= MAX_WORD) return true;
    n = Array.from(folded).length;
    if (n === 1) return /\p{N}/u.test(folded);
    return n > 1 && n <= MAX_WORD;
  }

  // The indexed words of `text` (folded whole, then split: no positions).
  // ASCII text, most queries, is split without the Unicode expression,
  // whose first use compiles its tables (slow on a phone).
  function words(text) {
    var folded = fold(text);
    return (folded.match(ASCII.test(folded) ? ASCII_WORD : WORD) || []).filter(isWord);
  }

  // Strings in code point order, as the index sorts them.
  function compare(a, b) {
    var i = 0, j = 0;
    for (;;) {
      if (i >= a.length) return j >= b.length ? 0 : -1;
      if (j >= b.length) return 1;
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
  }

  // The file whose keys would hold `key`: the last one starting at or before it.
  function fileOf(firsts, key) {
    var lo = 0, hi = firsts.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (compare(firsts[mid], key) <= 0) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function loadMeta() {
    if (!meta) {
      meta = load(base + "index.json", { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("no index");
        return r.json();
      });
      meta.catch(function () { meta = null; });
    }
    return meta;
  }

  // A file of the index: JSON, gzipped (`.json.gz`), inflated here with
  // the browser's own DecompressionStream; read as it is when the server
  // has already decoded it (it sent the file with Content-Encoding: gzip).
  function get(m, path) {
    if (!files[path]) {
      files[path] = load(base + path + ".gz?v=" + m.version).then(function (r) {
        if (!r.ok) throw new Error(path);
        return r.arrayBuffer();
      }).then(function (bytes) {
        var head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
        if (head[0] !== 0x1f || head[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        var inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(inflated).text().then(JSON.parse);
      });
    }
    return files[path];
  }

  function wordFile(m, word) {
    return m.words.length ? get(m, "w/" + fileOf(m.words, word) + ".json") : Promise.resolve({});
  }

  function stemFile(m, i) {
    return get(m, "s/" + i + ".json");
  }

  // A stem's hash for phrases: FNV-1a of its UTF-8 (crates/search/src/lib.rs,
  // pair_hash), in `width` base-36 digits.
  var utf8 = new TextEncoder();
  function pairHash(stem, width) {
    var bytes = utf8.encode(stem), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
    var s = (h % 1679616 % Math.pow(36, width)).toString(36);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // Ascending document numbers from base-36 gaps ("3,1,a").
  function decodeGaps(text) {
    var out = [], last = -1;
    if (text) text.split(",").forEach(function (g) { last += parseInt(g, 36); out.push(last); });
    return out;
  }

  // The documents where the stem of `term` is right before stem `b`: from
  // the pair files, a list for the pair when the stem is in many stories,
  // else the stems after it in each of its stories.
  function followed(m, term, b) {
    if (!term || !term.df) return Promise.resolve([]);
    var a = term.stem;
    var file = function (key) {
      return get(m, "p/index.json").then(function (firsts) {
        return firsts.length ? get(m, "p/" + fileOf(firsts, key) + ".json") : {};
      });
    };
    if (term.df > m.pair_lists_from) {
      var key = a + " " + pairHash(b, 4);
      return file(key).then(function (f) { return decodeGaps(f[key]); });
    }
    return file(a).then(working(function (f) {
      var docs = listed(term).docs;
      var after = (f[a] || "").split(","), want = pairHash(b, 3), out = [];
      for (var i = 0; i < after.length && i < docs.length; i++) {
        for (var j = 0; j + 3 <= after[i].length; j += 3) {
          if (after[i].substr(j, 3) === want) { out.push(docs[i]); break; }
        }
      }
      return out;
    }));
  }

  // The documents that hold every phrase of the query, in order (null: no
  // phrase): each word of a phrase right before the next, by their stems.
  function phraseDocs(m, q, terms) {
    if (!q.phrases.length) return Promise.resolve(null);
    var termOf = {};
    terms.forEach(function (t) { termOf[t.word] = t; });
    var pairs = [];
    q.phrases.forEach(function (phrase) {
      for (var i = 0; i + 1 < phrase.length; i++) pairs.push(followed(m, termOf[phrase[i]], (termOf[phrase[i + 1]] || {}).stem));
    });
    return Promise.all(pairs).then(working(function (lists) {
      var count = new Uint8Array(m.documents);
      lists.forEach(function (docs) {
        for (var i = 0; i < docs.length; i++) if (count[docs[i]] < 255) count[docs[i]]++;
      });
      var shortest = lists.reduce(function (a, b) { return a.length <= b.length ? a : b; });
      return Int32Array.from(shortest.filter(function (d) { return count[d] >= lists.length; }));
    }));
  }

  // A stem's documents (ascending) and weights (1-15).
  function decode(stem, entry) {
    if (!postings[stem]) {
      var gaps = entry[0], hex = entry[1];
      var docs = new Int32Array(hex.length);
      var weights = new Uint8Array(hex.length);
      var last = -1, gap = 0, n = 0;
      for (var i = 0; i <= gaps.length; i++) {
        var c = i < gaps.length ? gaps.charCodeAt(i) : 44;
        if (c === 44) {
          last += gap;
          docs[n] = last;
          var h = hex.charCodeAt(n);
          weights[n] = h <= 57 ? h - 48 : h - 87;
          n++;
          gap = 0;
        } else {
          gap = gap * 36 + (c <= 57 ? c - 48 : c - 87);
        }
      }
      postings[stem] = { docs: docs, weights: weights };
    }
    return postings[stem];
  }

  // How rare a stem is: rarer words count for more.
  function idf(m, df) {
    return Math.log(1 + (m.documents - df + 0.5) / (df + 0.5));
  }

  // The documents of one query word, each with its score; `prefix`: the
  // word being typed, which also finds longer words starting with it.
  function lookup(m, word, prefix) {
    return wordFile(m, word).then(function (wf) {
      if (wf[word]) return gather(m, wf, word, wf[word], prefix);
      // A word being typed is first taken as the start of longer words.
      var first = prefix ? gather(m, wf, word, word, true) : Promise.resolve(null);
      return first.then(function (found) {
        if (found && found.df) return found;
        return unknown(m, word).then(function (stem) { return gather(m, wf, word, stem, false); });
      });
    });
  }

  // The documents of `stem` (and, for a prefix, of the stems and words
  // starting with `word`), scored.
  function gather(m, wf, word, stem, prefix) {
    var wanted = [{ stem: stem, factor: 1 }];
    var fileIds = [fileOf(m.stems, stem)];
    if (prefix) {
      var first = fileOf(m.stems, word);
      for (var i = first; i < m.stems.length && i < first + PREFIX_FILES; i++) {
        if (i > first && compare(m.stems[i], word) > 0 && m.stems[i].lastIndexOf(word, 0) !== 0) break;
        if (fileIds.indexOf(i) < 0) fileIds.push(i);
      }
      // Words of the site starting so, whose stems are elsewhere ("runn": "running" is "run").
      Object.keys(wf).forEach(function (w) {
        if (w !== word && w.lastIndexOf(word, 0) === 0 && wanted.length < PREFIX_STEMS) {
          wanted.push({ stem: wf[w], factor: 0.7 });
          var f = fileOf(m.stems, wf[w]);
          if (fileIds.indexOf(f) < 0 && fileIds.length < PREFIX_FILES + 2) fileIds.push(f);
        }
      });
    }
    return Promise.all(fileIds.map(function (i) { return stemFile(m, i); })).then(working(function (sf) {
      var entries = {};
      sf.forEach(function (file) {
        Object.keys(file).forEach(function (s) {
          if (prefix && s !== stem && s.lastIndexOf(word, 0) === 0 && wanted.length < PREFIX_STEMS) {
            wanted.push({ stem: s, factor: 0.7 });
          }
          entries[s] = file[s];
        });
      });
      // The documents that have this word, in order, and each one's score
      // for it (`own`, in the same order); `scores(term)` is the score of
      // every document (0: not there), made when another word needs it.
      var found = wanted.filter(function (w) { return entries[w.stem]; });
      var stems = wanted.map(function (w) { return w.stem; });
      var term = { word: word, stem: stem, stems: stems, prefix: prefix, full: null, docs: null };
      if (found.length === 1) {
        // One stem, most searches: its own list, no array of every
        // document, decoded when needed (a phrase reads a long list's
        // blocks of its stories only).
        var entry = entries[found[0].stem];
        term.key = found[0].stem;
        term.entry = entry;
        term.df = entry[1].length;
        term.weight = idf(m, term.df) * found[0].factor / 15;
        return entry[2] ? term : listed(term);
      }
      var all = new Float32Array(m.documents);
      // A longer word that starts with the one typed never counts for more
      // than the word itself: a rare "harbourside" must not rank its story
      // above the stories that say "harbour".
      var own = entries[stem] ? idf(m, entries[stem][1].length) : Infinity;
      // The stories with the word itself (or its stem), and the lowest
      // score among them.
      var exact = entries[stem] ? decode(stem, entries[stem]) : null;
      var lowest = Infinity;
      found.forEach(function (w) {
        var p = decode(w.stem, entries[w.stem]);
        var rarity = w.stem === stem ? idf(m, p.docs.length) : Math.min(idf(m, p.docs.length), own);
        var weight = rarity * w.factor / 15;
        for (var i = 0; i < p.docs.length; i++) {
          var s = weight * p.weights[i];
          if (all[p.docs[i]] < s) all[p.docs[i]] = s;
          if (p === exact && s < lowest) lowest = s;
        }
      });
      var n = 0, d;
      if (exact) {
        // A story with only a longer word ("Harbourside", for "harbour")
        // ranks below every story with the word itself, even one that
        // has it once at the end and the longer word in its headline: its
        // score is brought under the lowest of theirs, in proportion.
        var isExact = new Uint8Array(m.documents), highest = 0;
        for (d = 0; d < exact.docs.length; d++) isExact[exact.docs[d]] = 1;
        for (d = 0; d < all.length; d++) if (all[d] > highest && !isExact[d]) highest = all[d];
        if (highest > 0) {
          var scale = 0.9 * lowest / highest;
          for (d = 0; d < all.length; d++) if (all[d] > 0 && !isExact[d]) all[d] *= scale;
        }
      }
      for (d = 0; d < all.length; d++) if (all[d] > 0) n++;
      term.df = n;
      term.docs = new Int32Array(n);
      term.own = new Float32Array(n);
      n = 0;
      for (d = 0; d < all.length; d++) if (all[d] > 0) { term.docs[n] = d; term.own[n++] = all[d]; }
      term.full = all;
      return term;
    }));
  }

  // A stem's scores, in the order of its documents.
  function weighted(p, weight) {
    var own = new Float32Array(p.docs.length);
    for (var i = 0; i < p.docs.length; i++) own[i] = weight * p.weights[i];
    return own;
  }

  // `term` with its documents (ascending) and their scores decoded.
  function listed(term) {
    if (!term.docs) {
      var p = decode(term.key, term.entry);
      term.docs = p.docs;
      term.own = weighted(p, term.weight);
    }
    return term;
  }

  // A long list's skips: for each block, the document before it and where
  // its gaps start.
  function skipsOf(term) {
    if (!term.skips) {
      // Pairs of base-36 gaps, read as `decode` reads a list.
      var text = term.entry[2], blocks = Math.ceil(term.df / BLOCK);
      var before = new Int32Array(blocks), offset = new Int32Array(blocks);
      before[0] = -1;
      var k = 0, value = 0;
      for (var i = 0; i <= text.length; i++) {
        var c = i < text.length ? text.charCodeAt(i) : 44;
        if (c !== 44) {
          value = value * 36 + (c <= 57 ? c - 48 : c - 87);
          continue;
        }
        var b = (k >> 1) + 1;
        if (b < blocks) {
          if (k & 1) offset[b] = offset[b - 1] + value;
          else before[b] = before[b - 1] + value;
        }
        k++;
        value = 0;
      }
      term.skips = { before: before, offset: offset };
    }
    return term.skips;
  }

  // Reads a long list from the start of `block`, calling `stop(doc,
  // place)` for each document until it says so; the document it stopped
  // at, or -1.
  function walk(term, block, stop) {
    var skips = skipsOf(term), gaps = term.entry[0];
    var last = skips.before[block], n = block * BLOCK, gap = 0;
    for (var i = skips.offset[block]; i <= gaps.length; i++) {
      var c = i < gaps.length ? gaps.charCodeAt(i) : 44;
      if (c !== 44) {
        gap = gap * 36 + (c <= 57 ? c - 48 : c - 87);
        continue;
      }
      last += gap;
      if (stop(last, n)) return last;
      n++;
      gap = 0;
    }
    return -1;
  }

  // The document at `place` in a long list, from its block alone.
  function docAt(term, place) {
    return walk(term, Math.floor(place / BLOCK), function (doc, n) { return n === place; });
  }

  // The score of `term` in document `d` (0: not there): found in its
  // decoded list, or else in the one block of its list that may hold `d`,
  // by the list's skips (see crates/search/src/lib.rs).
  function weightAt(term, d) {
    if (term.docs || !term.entry[2]) {
      listed(term);
      var at = find(term.docs, d);
      return at < 0 ? 0 : term.own[at];
    }
    var b = skipsOf(term).before, lo = 0, hi = b.length - 1;
    // The last block whose document before it is before `d`.
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (b[mid] < d) lo = mid; else hi = mid - 1;
    }
    var place = -1;
    var found = walk(term, lo, function (doc, n) { place = n; return doc >= d; });
    if (found !== d) return 0;
    var h = term.entry[1].charCodeAt(place);
    return term.weight * (h <= 57 ? h - 48 : h - 87);
  }

  function scores(m, term) {
    listed(term);
    if (!term.full) {
      term.full = new Float32Array(m.documents);
      for (var i = 0; i < term.docs.length; i++) term.full[term.docs[i]] = term.own[i];
    }
    return term.full;
  }

  // The stem of a word the site does not have ("strikes", where stories
  // say "strike"): the word itself if it is a stem, else the longest stem
  // it starts with, at most four letters shorter (what stemmers remove).
  function unknown(m, word) {
    var letters = Array.from(word);
    var candidates = [];
    for (var n = letters.length; n >= Math.max(3, letters.length - 4); n--) candidates.push(letters.slice(0, n).join(""));
    var ids = candidates.map(function (c) { return fileOf(m.stems, c); });
    var unique = ids.filter(function (id, i) { return ids.indexOf(id) === i; });
    return Promise.all(unique.map(function (i) { return stemFile(m, i); })).then(function (sf) {
      for (var i = 0; i < candidates.length; i++) {
        if (sf[unique.indexOf(ids[i])][candidates[i]]) return candidates[i];
      }
      return word;
    });
  }

  // "Did you mean": the index's own words (v/ files, each word with how
  // many stories hold it), fetched only when a query word finds little.
  // A word may be corrected to one within this many edits: one for a
  // short word, two for a longer one.
  function maxEdits(word) {
    return Array.from(word).length <= 4 ? 1 : 2;
  }

  // The edits between `a` and `b` (arrays of characters): insertions,
  // deletions, substitutions and swaps of two neighbours
  // (Damerau-Levenshtein, each letter edited once); more than `max` is
  // max + 1.
  function edits(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var before = null, row = [], i, j;
    for (j = 0; j <= b.length; j++) row.push(j);
    for (i = 1; i <= a.length; i++) {
      var next = [i], least = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
        next.push(v);
        if (v < least) least = v;
      }
      if (least > max) return max + 1;
      before = row;
      row = next;
    }
    return row[b.length];
  }

  // Vocabulary files fetched for one start of a word, at most.
  var VOCABULARY_FILES = 4;

  // The vocabulary files that may hold words starting with `start`; null
  // when there are more than VOCABULARY_FILES.
  function vocabularyFiles(m, start) {
    var firsts = m.vocabulary || [], out = [];
    for (var i = fileOf(firsts, start); i < firsts.length; i++) {
      if (out.length && compare(firsts[i], start) > 0 && firsts[i].lastIndexOf(start, 0) !== 0) break;
      if (out.length === VOCABULARY_FILES) return null;
      out.push(i);
    }
    return out;
  }

  // The index's word nearest `word` (fewest edits, then in the most
  // stories) with more stories than `df`, or null. Words are looked for
  // among those starting with its first letter, or its second (a swap of
  // the first two); where a letter starts more words than a few files
  // hold (a large site's), among those starting with its first two
  // letters, or the two swapped; where those are too many still, among
  // the words sorted near it.
  function nearest(m, word, df) {
    var letters = Array.from(word), max = maxEdits(word), ids = [];
    var add = function (start) {
      var found = vocabularyFiles(m, start);
      if (!found && Array.from(start).length === 1 && letters.length > 1) {
        found = vocabularyFiles(m, start + (start === letters[0] ? letters[1] : letters[0]));
      }
      if (!found && start === letters[0]) {
        // Still too many: the words sorted near it (a slip late in it).
        var at = fileOf(m.vocabulary, word);
        found = [at - 1, at, at + 1].filter(function (i) { return i >= 0 && i < m.vocabulary.length; });
      }
      (found || []).forEach(function (i) { if (ids.indexOf(i) < 0) ids.push(i); });
    };
    if (!(m.vocabulary || []).length) return Promise.resolve(null);
    add(letters[0]);
    if (letters.length > 3 && letters[1] !== letters[0]) add(letters[1]);
    return Promise.all(ids.map(function (i) { return get(m, "v/" + i + ".json"); })).then(working(function (vf) {
      var best = null, bestEdits = max + 1, bestDf = 0;
      vf.forEach(function (file) {
        Object.keys(file).forEach(function (w) {
          var n = file[w];
          if (w === word || n <= df) return;
          var d = edits(letters, Array.from(w), Math.min(max, bestEdits));
          if (d > max || d === 0) return;
          // Where a word is in a story or two, only a far commoner one
          // one edit away is offered ("harbor" for "harbour").
          if (df > 0 && (d > 1 || n < 10 * df)) return;
          if (d < bestEdits || (d === bestEdits && (n > bestDf || (n === bestDf && compare(w, best) < 0)))) {
            best = w;
            bestEdits = d;
            bestDf = n;
          }
        });
      });
      return best;
    }));
  }

  // A word in fewer stories than this may be a misspelling (one in 2,000
  // stories: none on a small site, where every word is in few).
  function rare(m) {
    return Math.max(1, Math.floor(m.documents / 2000));
  }

  // A query with its misspelt words corrected from the index's own words
  // ("harbuor plan" → "harbour plan"), or null: for the search of `query`
  // and its result.
  function suggest(query, result) {
    var m = result.m, terms = result.terms || [];
    var doubtful = terms.filter(function (t) {
      return (t.df || 0) < rare(m) && Array.from(t.word).length >= 3 && !/\p{N}/u.test(t.word);
    });
    if (!doubtful.length || !m.vocabulary) return Promise.resolve(null);
    return Promise.all(doubtful.map(function (t) { return nearest(m, t.word, t.df || 0); })).then(function (found) {
      var fixes = {}, any = false;
      doubtful.forEach(function (t, i) { if (found[i]) { fixes[t.word] = found[i]; any = true; } });
      if (!any) return null;
      // The query as typed, its misspelt words replaced (a capital kept).
      return query.replace(WORD, function (raw) {
        var fix = fixes[fold(raw)];
        if (!fix) return raw;
        return raw[0] !== raw[0].toLowerCase() ? fix[0].toUpperCase() + fix.slice(1) : fix;
      }).trim();
    });
  }

  function sectionDocs(m, name) {
    var i = m.sections.indexOf(name);
    if (i < 0) return Promise.resolve(new Uint8Array(m.documents));
    return get(m, "sec/" + i + ".json").then(function (gaps) {
      var within = new Uint8Array(m.documents);
      decodeGaps(gaps).forEach(function (d) { within[d] = 1; });
      return within;
    });
  }

  // Quotes around a phrase: straight, or as a phone's keyboard types them.
  var QUOTES = /["\u201c\u201d\u201e\u00ab\u00bb]/;
  var QUOTED = /["\u201c\u201d\u201e\u00ab\u00bb]([^"\u201c\u201d\u201e\u00ab\u00bb]*)["\u201c\u201d\u201e\u00ab\u00bb]/g;

  // The words and quoted phrases of a query; the last word is a prefix
  // while it is being typed (no space or quote after it).
  function parse(query) {
    var phrases = [];
    var re = QUOTED;
    re.lastIndex = 0;
    var m;
    while ((m = re.exec(query)) !== null) {
      var w = words(m[1]);
      if (w.length > 1) phrases.push(w);
    }
    var all = words(query);
    var unique = all.filter(function (w, i) { return all.indexOf(w) === i; });
    var last = query.slice(-2);
    var typing = unique.length > 0 && (ASCII.test(last) ? /[A-Za-z0-9]$/ : /[\p{Alphabetic}\p{N}\p{M}]$/u).test(last);
    return { words: unique, phrases: phrases, prefix: typing ? all[all.length - 1] : null };
  }

  // The matches, handed out best (or newest) first, a page at a time: one
  // pass over them per page, keeping the best few, costs a phone far less
  // than ranking them all (a common word is in most stories).
  function Ranking(docs, scores, n, newest) {
    this.docs = docs;
    this.scores = scores;
    this.n = n;
    this.newest = newest;
    this.left = n;
    // Newest first: the next place. Best first: the last place handed
    // out, and its score (of equal scores, the newer comes first).
    this.cursor = n - 1;
    this.lastScore = Infinity;
    this.lastPlace = n;
  }

  Ranking.prototype.doc = function (place) { return this.docs[place]; };

  // The places (in `docs`) of the next `k` matches.
  Ranking.prototype.take = function (k) {
    var out = [];
    if (this.newest) {
      while (out.length < k && this.cursor >= 0) out.push(this.cursor--);
    } else {
      var scores = this.scores, ls = this.lastScore, lp = this.lastPlace;
      for (var i = this.n - 1; i >= 0; i--) {
        var s = scores[i];
        // Handed out already, or no better than the worst kept so far
        // (which is newer, as places go down).
        if (s > ls || (s === ls && i >= lp)) continue;
        if (out.length === k && s <= scores[out[k - 1]]) continue;
        var j = out.length < k ? out.length : k - 1;
        while (j > 0 && scores[out[j - 1]] < s) { out[j] = out[j - 1]; j--; }
        out[j] = i;
      }
      if (out.length) {
        this.lastPlace = out[out.length - 1];
        this.lastScore = scores[this.lastPlace];
      }
    }
    this.left -= out.length;
    return out;
  };

  // The matches of one word with a long list, in the same order as a
  // Ranking of it (the highest weight first, the newer first among equals;
  // or newest first), found in its weights (one digit per document) by the
  // browser's own string search, each document decoded from its block
  // alone: a common word's search does not decode its whole list.
  function ListRanking(term, newest) {
    this.term = term;
    this.n = term.df;
    this.left = term.df;
    this.newest = newest;
    this.digit = 15;
    this.from = term.df - 1;
  }

  ListRanking.prototype.doc = function (place) { return docAt(this.term, place); };

  ListRanking.prototype.take = function (k) {
    var out = [], hex = this.term.entry[1];
    while (out.length < k) {
      if (this.newest) {
        if (this.from < 0) break;
        out.push(this.from--);
        continue;
      }
      // Weights are 1 to 15.
      if (this.digit < 1) break;
      var at = this.from < 0 ? -1 : hex.lastIndexOf("0123456789abcdef"[this.digit], this.from);
      if (at >= 0) {
        out.push(at);
        this.from = at - 1;
      } else {
        this.digit--;
        this.from = hex.length - 1;
      }
    }
    this.left -= out.length;
    return out;
  };

  function search(query, sectionName, sort) {
    var q = parse(query);
    var none = function (m, terms) { return { m: m, q: q, terms: terms, ranking: new Ranking([], [], 0, false) }; };
    return loadMeta().then(function (m) {
      if (!m.documents) return none(m, []);
      var looks = q.words.map(function (w) { return lookup(m, w, w === q.prefix); });
      var filter = sectionName ? sectionDocs(m, sectionName) : Promise.resolve(null);
      var found = Promise.all(looks).then(function (terms) {
        return phraseDocs(m, q, terms).then(function (phrases) { return [terms, phrases]; });
      });
      return Promise.all([found, filter]).then(working(function (found) {
        var terms = found[0][0], phrases = found[0][1], within = found[1];
        if (!terms.length) return none(m, terms);
        // Every word must be there: the documents of the rarest, checked
        // against the others'.
        var order = terms.slice().sort(function (a, b) { return a.df - b.df; });
        var first = order[0];
        if (phrases) {
          // A phrase's few documents: each word's score found in its list,
          // no array of every document.
          return matching(m, q, terms, phrases, within, sort, function (i, d) {
            var score = 0;
            for (var t = 0; t < order.length; t++) {
              var s = weightAt(order[t], d);
              if (!(s > 0)) return 0;
              score += s;
            }
            return score;
          });
        }
        if (order.length === 1 && !within && !first.docs) {
          return { m: m, q: q, terms: terms, ranking: new ListRanking(first, sort === "newest") };
        }
        listed(first);
        if (order.length === 1 && !within) {
          // One word, no filter: its documents, as they are.
          return { m: m, q: q, terms: terms, ranking: new Ranking(first.docs, first.own, first.docs.length, sort === "newest") };
        }
        var others = order.slice(1).map(function (t) { return scores(m, t); });
        return matching(m, q, terms, first.docs, within, sort, function (i, d) {
          var score = first.own[i];
          for (var t = 0; t < others.length; t++) {
            var s = others[t][d];
            if (!(s > 0)) return 0;
            score += s;
          }
          return score;
        });
      }));
    });
  }


  // The place of `doc` in the ascending `docs`, or -1.
  function find(docs, doc) {
    var lo = 0, hi = docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (docs[mid] === doc) return mid;
      if (docs[mid] < doc) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  // The matches among `candidates` (ascending documents) in the section
  // (if filtered) with every word: `score(i, d)` is candidate `i`'s (`d`)
  // score, 0 when a word is missing.
  function matching(m, q, terms, candidates, within, sort, score) {
    var docs = new Int32Array(candidates.length), own = new Float32Array(candidates.length), n = 0;
    for (var i = 0; i < candidates.length; i++) {
      var d = candidates[i];
      if (within && !within[d]) continue;
      var s = score(i, d);
      if (!(s > 0)) continue;
      docs[n] = d;
      own[n] = s;
      n++;
    }
    return { m: m, q: q, terms: terms, ranking: new Ranking(docs, own, n, sort === "newest") };
  }

  function documentOf(m, doc) {
    return get(m, "d/" + Math.floor(doc / 1000) + "/" + doc + ".json");
  }

  // The newest `count` stories: the highest numbers, stories being
  // numbered from the oldest after the pages (which have no date).
  function latest(m, count) {
    var ids = [];
    for (var d = m.documents - 1; d >= 0 && ids.length < count; d--) ids.push(d);
    return Promise.all(ids.map(function (d) { return documentOf(m, d); })).then(function (docs) {
      return docs.filter(function (doc) { return doc.date; });
    });
  }

  function matcher(result) {
    var exact = new Set(result.q.words);
    var stems = [];
    result.terms.forEach(function (t) {
      t.stems.forEach(function (s) { if (Array.from(s).length >= 3) stems.push(s); });
      if (t.prefix) stems.push(t.word);
    });
    var matches = function (word) {
      return exact.has(word) || stems.some(function (s) { return word.lastIndexOf(s, 0) === 0; });
    };
    // Where a match may first be in a text, found without reading its
    // words: a story is long, and a phone reads ten of them.
    var alternatives = stems.concat(result.q.words).map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    // Without the Unicode flag when every word is ASCII (most queries): a
    // Unicode case-insensitive expression costs a phone far more to make.
    var pattern = alternatives.join("|");
    matches.near = alternatives.length ? new RegExp(pattern, ASCII.test(pattern) ? "i" : "iu") : null;
    return matches;
  }

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" };
  function escape(text) {
    return text.replace(/[&<>"]/g, function (c) { return ESCAPES[c]; });
  }

  // The words of `text` up to 20 past the first match (or the first 31
  // when none matches): an excerpt needs no more, and a story is long.
  function tokensToMatch(text, matches) {
    var out = [];
    var m, after = -1;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      var folded = fold(m[0]);
      if (!isWord(folded)) continue;
      out.push({ word: folded, start: m.index, end: m.index + m[0].length });
      if (after < 0 && matches(folded)) after = 0;
      else if (after >= 0) after++;
      if (after >= 20) break;
    }
    return out;
  }

  // Latin letters with diacritics, which a query may have typed without.
  var ACCENTED = /[\u00c0-\u024f\u1e00-\u1eff]/;

  // About 30 words around the first match, the matches marked.
  function excerpt(doc, matches) {
    var sources = [doc.text || "", doc.summary || ""];
    for (var k = 0; k < sources.length; k++) {
      var text = sources[k];
      // Only the words from a little before the first likely match are
      // read (its case and accents may differ: the words say).
      var hit = matches.near ? matches.near.exec(text) : null;
      // No likely match, and no accented letter that might hide one: the
      // next source, without reading this one's words.
      if (matches.near && !hit && k < sources.length - 1 && !ACCENTED.test(text)) continue;
      var skipped = hit && hit.index > 400 ? text.lastIndexOf(" ", hit.index - 300) + 1 : 0;
      text = text.slice(skipped);
      var t = tokensToMatch(text, matches);
      var at = -1;
      for (var i = 0; i < t.length; i++) if (matches(t[i].word)) { at = i; break; }
      if (at < 0 && k < sources.length - 1) continue;
      if (at < 0) at = 0;
      if (!t.length) return escape(doc.summary || "");
      var from = Math.max(0, at - 10), to = Math.min(t.length, from + 30);
      var start = t[from].start, end = t[to - 1].end;
      var html = from > 0 || skipped > 0 ? "… " : "";
      var pos = start;
      for (var j = from; j < to; j++) {
        html += escape(text.slice(pos, t[j].start));
        var w = escape(text.slice(t[j].start, t[j].end));
        html += matches(t[j].word) ? "<mark>" + w + "</mark>" : w;
        pos = t[j].end;
      }
      html += escape(text.slice(pos, end));
      return html + (end < text.trimEnd().length ? " …" : "");
    }
    return "";
  }


  function sortValue() {
    var checked = form.querySelector("[name=sort]:checked");
    return checked ? checked.value : "relevance";
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    section.value = params.get("section") || "";
    var sort = form.querySelector("[name=sort][value='" + (params.get("sort") || "relevance") + "']");
    if (sort) sort.checked = true;
  }

  function toUrl() {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (section.value) params.set("section", section.value);
    if (sortValue() !== "relevance") params.set("sort", sortValue());
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  // "12 stories match": every match counted.
  function describe(run) {
    // A query with its own quotes ("city council") is shown as typed.
    var n = run.total, query = (QUOTES.test(run.query) ? run.query : tr("quoted", "“{}”").replace("{}", run.query)) + ".";
    if (n === 0) return pageWords.no_matches ? tr("no_matches", "").replace("{}", query) : "No stories match " + query;
    var english = n + (n === 1 ? " story matches " : " stories match ") + query;
    var phrase = counted("matches", n, "");
    if (!phrase) return english;
    // A form may leave the number out: then its one {} is the query.
    return (phrase.split("{}").length > 2 ? phrase.replace("{}", n) : phrase).replace("{}", query);
  }

  // The first run of the page's code (and of a Unicode regular expression,
  // which compiles its character tables) is slow on a phone: it happens
  // once on a tiny example while the first files are on their way, not
  // after they came.
  var warmed = false;
  function warm() {
    if (warmed) return;
    warmed = true;
    var text = "Zoë Lefèvre’s 2 cafés";
    var matches = function (w) { return w === "cafes"; };
    matches.near = new RegExp("zoe|cafe", "iu");
    excerpt({ text: text, summary: text }, matches);
    // And as most stories and queries are: ASCII, a match some way in.
    var story = new Array(30).fill("The harbour board met on Tuesday & voted <again>.").join(" ") + " Cafes open.";
    var ascii = function (w) { return w === "cafes" || w === "harbour"; };
    ascii.near = new RegExp("cafe|harbour", "i");
    for (var i = 0; i < 2; i++) excerpt({ text: story, summary: "" }, ascii);
    var p = decode("\u0000", ["1,2,3", "fff"]);
    delete postings["\u0000"];
    var own = weighted(p, 1);
    new Ranking(p.docs, own, 3, false).take(2);
    // 65 documents, 0 to 64: the second block starts at the 65th.
    var gaps = new Array(65).fill("1").join(",");
    weightAt({ df: 65, weight: 1, entry: [gaps, "f".repeat(65), "1s,3k"], docs: null }, 64);
  }

  function run() {
    var query = input.value.trim();
    var id = ++runs;
    var started = performance.now();
    busy = 0;
    list.innerHTML = "";
    more.hidden = true;
    if (suggestion) suggestion.hidden = true;
    if (empty) empty.hidden = true;
    current = null;
    list.removeAttribute("data-search-state");
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = tr("searching", "Searching…");
    list.setAttribute("data-search-state", "searching");
    var searching = search(query, section.value, sortValue());
    warm();
    searching.then(function (result) {
      if (id !== runs) return;
      current = {
        query: query,
        result: result,
        matches: matcher(result),
        ranking: result.ranking,
        total: result.ranking.n,
      };
      var run = current;
      offer(run);
      return showMore(run).then(function () {
        status.setAttribute("data-ms", Math.round(performance.now() - started));
        // Of which working, not waiting for the network: what a query costs
        // once its files are there.
        status.setAttribute("data-busy-ms", Math.round(busy));
      });
    }).catch(function () {
      if (id !== runs) return;
      status.textContent = tr("search_unavailable", "Search is not available right now.");
      list.setAttribute("data-search-state", "error");
    });
  }

  // When a word of the query finds little: "Did you mean …", a link that
  // runs the corrected search; when nothing matches, the newest stories
  // (the sections are in the page already).
  function offer(found) {
    if (suggestion) {
      suggest(found.query, found.result).then(function (fixed) {
        if (found !== current || !fixed) return;
        var phrase = suggestion.getAttribute("data-phrase") || "Did you mean {}?";
        var at = phrase.indexOf("{}");
        var link = document.createElement("a");
        var params = new URLSearchParams(window.location.search);
        params.set("q", fixed);
        link.href = window.location.pathname + "?" + params.toString();
        link.textContent = fixed;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          input.value = fixed;
          toUrl();
          run();
          input.focus();
        });
        suggestion.textContent = "";
        suggestion.append(phrase.slice(0, Math.max(at, 0)), link, at < 0 ? "" : phrase.slice(at + 2));
        suggestion.hidden = false;
      }, function () {});
    }
    if (empty && found.total === 0) {
      var picks = empty.querySelector(".search-latest");
      latest(found.result.m, 5).then(working(function (docs) {
        if (found !== current) return;
        var shown = document.createDocumentFragment();
        docs.forEach(function (doc) { show(doc, null, shown, "search-latest-story"); });
        picks.textContent = "";
        picks.appendChild(shown);
        picks.hidden = !docs.length;
        empty.hidden = false;
      }), function () { empty.hidden = false; });
    }
  }

  // Shows the next results.
  function showMore(run) {
    list.setAttribute("data-search-state", "searching");
    var ids = run.ranking.take(PAGE).map(function (place) { return run.ranking.doc(place); });
    return Promise.all(ids.map(function (doc) { return documentOf(run.result.m, doc); })).then(working(function (docs) {
      if (run !== current) return;
      // Put in the page at once, not one result at a time.
      var shown = document.createDocumentFragment();
      docs.forEach(function (doc) { show(doc, run.matches, shown); });
      list.appendChild(shown);
      status.textContent = describe(run);
      more.hidden = run.ranking.left === 0;
      list.setAttribute("data-search-state", "done");
      list.setAttribute("data-total", run.total);
    }));
  }

  // The first `count` results of a query as data, what `showMore` shows
  // (Node's tests).
  function results(query, sectionName, sort, count) {
    return search(query, sectionName, sort).then(function (result) {
      var matches = matcher(result), ranking = result.ranking;
      var ids = ranking.take(count || PAGE).map(function (place) { return ranking.doc(place); });
      var documents = Promise.all(ids.map(function (doc) { return documentOf(result.m, doc); }));
      return Promise.all([documents, suggest(query, result)]).then(function (both) {
        var docs = both[0];
        return {
          total: ranking.n,
          left: ranking.left,
          suggestion: both[1],
          results: docs.map(function (doc, i) {
            return { doc: ids[i], url: doc.url, title: doc.title, section: doc.section, date: doc.date, shown: doc.shown, excerpt: excerpt(doc, matches) };
          }),
        };
      });
    });
  }

  function show(data, matches, into, className) {
    var item = document.createElement("li");
    item.className = className || "search-result";
    var kicker = document.createElement("p");
    kicker.className = "kicker";
    kicker.textContent = data.section || "";
    var title = document.createElement("h2");
    title.className = "card-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.title || data.url;
    title.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "card-meta";
    if (data.date) {
      var time = document.createElement("time");
      time.setAttribute("datetime", data.date);
      time.textContent = data.shown || data.date;
      meta.appendChild(time);
    }
    var text = document.createElement("p");
    text.className = "card-dek";
    // Built from escaped text, with <mark> around the matches; a story
    // shown for no query has its dek.
    if (matches) text.innerHTML = excerpt(data, matches);
    else text.textContent = data.summary || "";
    item.appendChild(kicker);
    item.appendChild(title);
    item.appendChild(meta);
    item.appendChild(text);
    into.appendChild(item);
  }

  if (!page) {
    if (typeof module !== "undefined" && module.exports) {
      module.exports = {
        // Reads the index at `at` (ending in "/") with `fetchFile` (a
        // fetch: a URL in, a promise of { ok, json() } out), from scratch.
        open: function (at, fetchFile) {
          base = at;
          fetcher = fetchFile || null;
          meta = null;
          files = {};
          postings = {};
        },
        parse: parse,
        search: search,
        results: results,
        // The newest stories, as the page shows them when nothing matches.
        latest: function (count) { return loadMeta().then(function (m) { return latest(m, count); }); },
        edits: function (a, b, max) { return edits(Array.from(a), Array.from(b), max); },
        // The status line a search shows ({ query, total }).
        describe: describe,
      };
    }
    return;
  }

  var typing = null;
  more.addEventListener("click", function () { if (current) showMore(current); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    toUrl();
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { toUrl(); run(); }, 200);
  });
  form.addEventListener("change", function (event) {
    if (event.target === input) return;
    toUrl();
    run();
  });
  fromUrl();
  run();
})();
