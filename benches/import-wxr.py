#!/usr/bin/env python3
"""Writes a WordPress export (WXR) of N posts of about 10 KB each, for the
import benchmark: `python3 benches/import-wxr.py 20000 > /tmp/big.xml`, then
`/usr/bin/time -f '%e s, %M KB peak' broadsheet import wordpress /tmp/big.xml --into /tmp/big-site`."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
w = sys.stdout.write
w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench Gazette</title>\n<link>https://bench.example.org</link>\n'
  '<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>\n')
w('<wp:author><wp:author_login><![CDATA[ed]]></wp:author_login><wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name></wp:author>\n')
para = ('<!-- wp:paragraph --><p>The harbour board met on Tuesday to discuss the dredging plan, '
        'the <strong>ferry timetable</strong> and the <a href="https://bench.example.org/2020/01/01/post-1/">budget</a>.</p>'
        '<!-- /wp:paragraph -->\n')
for i in range(1, n + 1):
    y, m, d = 2000 + i % 25, 1 + i % 12, 1 + i % 28
    body = para * 40 + '<!-- wp:heading --><h2>More</h2><!-- /wp:heading -->\n' + para * 5
    w(f'<item><title>Story number {i}</title><link>https://bench.example.org/{y}/{m:02}/{d:02}/post-{i}/</link>'
      f'<dc:creator><![CDATA[ed]]></dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>'
      f'<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{i}</wp:post_id>'
      f'<wp:post_date><![CDATA[{y}-{m:02}-{d:02} 09:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[{y}-{m:02}-{d:02} 09:00:00]]></wp:post_date_gmt>'
      f'<wp:post_name><![CDATA[post-{i}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>'
      f'<category domain="category" nicename="news"><![CDATA[News]]></category></item>\n')
w('</channel>\n</rss>\n')
