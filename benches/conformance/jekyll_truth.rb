# Ground truth for a Jekyll site: real Jekyll (the Debian package) reads the
# site and writes, for every published content item, the URL Jekyll gives it,
# its source file and the date Jekyll computed (front matter or file name).
#
#   ruby jekyll_truth.rb SRC DEST OUT.tsv
#
# Plugins the site names but this machine lacks are dropped (and listed on
# stderr), so a site whose Gemfile wants an unpackaged gem still yields its
# URLs. URLs come from Jekyll's own Document/Page#url, before rendering; the
# site is then rendered and written to DEST when it can be (a Liquid error in
# a theme include does not change any URL, it is reported and the tree is
# left partial).
require "jekyll"
require "yaml"

src, dest, out = ARGV
abort "usage: ruby jekyll_truth.rb SRC DEST OUT.tsv" unless out

def loadable?(name)
  require name
  true
rescue LoadError, StandardError
  false
end

overrides = { "source" => src, "destination" => dest, "quiet" => true,
              "safe" => false, "incremental" => false,
              "disable_disk_cache" => true }
config = Jekyll.configuration(overrides)
dropped = []
%w(plugins gems).each do |key|
  next unless config[key].is_a?(Array)
  keep = config[key].select { |p| loadable?(p.to_s) }
  dropped.concat(config[key] - keep)
  config[key] = keep
end
if config["theme"] && !loadable?(config["theme"].to_s)
  dropped << "theme:#{config["theme"]}"
  config.delete("theme")
end
warn "jekyll_truth: not installed, left out: #{dropped.join(", ")}" unless dropped.empty?

site = Jekyll::Site.new(config)
site.reset
site.read
site.generate

SKIP_EXT = %w(.xml .json .txt .css .js .scss .sass .rss .atom .webmanifest .map .svg .ico .yml).freeze
rows = []
fmt = lambda do |d|
  d.respond_to?(:strftime) ? d.strftime("%Y-%m-%dT%H:%M:%S%:z") : d.to_s
end
site.posts.docs.each do |doc|
  next if doc.data["published"] == false
  rows << [doc.url, doc.relative_path, fmt.call(doc.date), "post"]
end
site.collections.each do |label, coll|
  next if label == "posts" || !coll.write?
  coll.docs.each do |doc|
    next if doc.data["published"] == false
    rows << [doc.url, doc.relative_path, doc.data["date"] ? fmt.call(doc.date) : "", "doc:#{label}"]
  end
end
listing = ->(text) { text.to_s =~ /\b(paginator|site\.posts|site\.categories|site\.tags|site\.collections)\b/ }
site.pages.each do |page|
  next if page.is_a?(Jekyll::PageWithoutAFile) # feeds, sitemaps, redirects, archives
  next unless File.file?(File.join(site.source, page.relative_path))
  next if SKIP_EXT.include?(page.output_ext) || SKIP_EXT.include?(page.ext)
  next if page.html? == false
  next if page.url =~ %r{/page\d+/?$|(^|/)404(\.html|/)?$}
  # listings (front page, archives, tag pages) are not content items
  next if page.url == "/" || listing.call(page.content)
  # ... and so are pages whose layout (or the layout it sits in) lists them
  lay, seen = page.data["layout"], 0
  lay_listing = false
  while lay && (l = site.layouts[lay.to_s]) && seen < 10
    (lay_listing = true; break) if listing.call(l.content)
    lay, seen = l.data["layout"], seen + 1
  end
  next if lay_listing
  rows << [page.url, page.relative_path, page.data["date"] ? fmt.call(page.data["date"]) : "", "page"]
end
# jekyll-redirect-from: each `redirect_from` of an item is an old URL too
# (the plugin writes a redirect page there); kind "alias"
aliases = []
items = site.posts.docs + site.collections.reject { |l, c| l == "posts" || !c.write? }.values.flat_map(&:docs) + site.pages
items.each do |it|
  next if it.data["published"] == false
  Array(it.data["redirect_from"]).each do |from|
    next unless from.is_a?(String) && !from.empty?
    from = "/" + from unless from.start_with?("/")
    aliases << [from, it.relative_path, "", "alias"]
  end
end
known = rows.map(&:first).to_h { |u| [u, true] }
aliases.each do |a|
  next if known[a[0]]
  known[a[0]] = true
  rows << a
end
base = config["baseurl"].to_s.sub(%r{/+$}, "")
rows.each { |r| r[0] = base + r[0] } unless base.empty? || base == "/"
File.open(out, "w") do |f|
  f.puts "url\tsource\tdate\tkind"
  rows.each { |r| f.puts r.map { |x| x.to_s.gsub(/[\t\n]/, " ") }.join("\t") }
end
warn "jekyll_truth: #{rows.size} items"

require "timeout"
begin
  # the rendered tree is for a human to compare with; a large multilingual
  # site can take many minutes, so rendering gets RENDER_SECONDS (default 180)
  Timeout.timeout(Integer(ENV.fetch("RENDER_SECONDS", "180"))) { site.render }
  site.cleanup
  site.write
  warn "jekyll_truth: rendered into #{dest}"
rescue Timeout::Error
  warn "jekyll_truth: rendering not finished in time (URLs above are unaffected)"
  exit 3
rescue StandardError, SyntaxError => e
  warn "jekyll_truth: render failed (URLs above are unaffected): #{e.class}: #{e.message.lines.first}"
  exit 3
end
