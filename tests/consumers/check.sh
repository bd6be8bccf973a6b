#!/usr/bin/env bash
# Checks a built Pamphlet site with real consumers, not with our own parsers:
#   - every feed (atom.xml, rss.xml) parses in PyPI `feedparser` without `bozo`;
#   - sitemap.xml (and a sitemap index's parts) validate with `xmllint --schema` against the
#     sitemaps.org XSDs vendored in schemas/;
#   - every JSON-LD block parses as JSON and has the properties Google's Article, FAQ and
#     breadcrumb rich results require; FAQPage questions equal the article's front matter;
#   - every link in feeds, sitemaps and JSON-LD that points into the site resolves to a file.
#
# Usage: tests/consumers/check.sh OUTPUT_DIR [SITE_ROOT]
#   OUTPUT_DIR  the built site (e.g. public/)
#   SITE_ROOT   the site folder with content/ (default: OUTPUT_DIR's parent, if it has site.toml);
#               needed for the FAQ front matter comparison, which is skipped without it.
#   BASE_URL    (env, optional) the site's base URL; default: read from OUTPUT_DIR/robots.txt.
#
# Needs, and installs none of it itself:
#   python3 -m pip install feedparser pyyaml     (PyYAML is often there already: python3-yaml)
#   apt-get install libxml2-utils                (for xmllint)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: check.sh OUTPUT_DIR [SITE_ROOT]}"
out="$(cd "$out" && pwd)"
root="${2:-}"
if [[ -z "$root" && -f "$out/../site.toml" ]]; then
  root="$(cd "$out/.." && pwd)"
fi

missing=()
command -v python3 >/dev/null || missing+=("python3")
command -v xmllint >/dev/null || missing+=("xmllint (apt-get install libxml2-utils)")
python3 -c 'import feedparser' 2>/dev/null || missing+=("feedparser (python3 -m pip install feedparser)")
if [[ -n "$root" ]]; then
  python3 -c 'import yaml' 2>/dev/null || missing+=("PyYAML (python3 -m pip install pyyaml)")
fi
if ((${#missing[@]})); then
  printf 'check.sh: missing %s\n' "${missing[@]}" >&2
  exit 2
fi

status=0

# --- Sitemaps: the XSD is the consumer here. ---------------------------------------------
sitemap="$out/sitemap.xml"
if [[ ! -f "$sitemap" ]]; then
  echo "FAIL sitemap: $sitemap is missing" >&2
  status=1
elif grep -q '<sitemapindex' "$sitemap"; then
  xmllint --noout --schema "$here/schemas/siteindex.xsd" "$sitemap" || status=1
  for part in "$out"/sitemap-*.xml; do
    xmllint --noout --schema "$here/schemas/sitemap.xsd" "$part" || status=1
  done
else
  xmllint --noout --schema "$here/schemas/sitemap.xsd" "$sitemap" || status=1
fi

# --- Feeds, JSON-LD and links: feedparser, json, and the file system. ---------------------
python3 - "$out" "$root" <<'PY' || status=1
import html.parser
import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

out, root = sys.argv[1], sys.argv[2]
problems = []
counts = {"feeds": 0, "entries": 0, "json-ld": 0, "faq pages": 0, "links": 0}


def fail(msg):
    problems.append(msg)


def base_url():
    if os.environ.get("BASE_URL"):
        return os.environ["BASE_URL"].rstrip("/") + "/"
    try:
        with open(os.path.join(out, "robots.txt"), encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("sitemap:"):
                    url = line.split(":", 1)[1].strip()
                    return url[: url.rindex("/") + 1]
    except OSError:
        pass
    sys.exit("check.sh: no BASE_URL and no Sitemap line in robots.txt")


BASE = base_url()


def check_link(url, where):
    """A URL under the base must name a file in the output (folders mean their index.html)."""
    if not url.startswith(BASE):
        return
    counts["links"] += 1
    path = urllib.parse.urlsplit(url).path
    rel = urllib.parse.unquote(path[len(urllib.parse.urlsplit(BASE).path):])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    target = os.path.normpath(os.path.join(out, rel))
    if not target.startswith(out) or not os.path.isfile(target):
        fail(f"{where}: link {url} resolves to no file ({rel})")


def walk(suffixes):
    for dirpath, _, files in os.walk(out):
        for name in sorted(files):
            if name.endswith(suffixes):
                yield os.path.join(dirpath, name)


class Hrefs(html.parser.HTMLParser):
    """href/src values of an HTML fragment (entry content)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


# Feeds -----------------------------------------------------------------------------------
for path in walk(("atom.xml", "rss.xml")):
    rel = os.path.relpath(path, out)
    counts["feeds"] += 1
    d = feedparser.parse(path)
    if d.bozo:
        fail(f"{rel}: feedparser bozo: {d.bozo_exception!r}")
        continue
    want = "atom10" if rel.endswith("atom.xml") else "rss20"
    if d.version != want:
        fail(f"{rel}: feedparser sees {d.version!r}, expected {want}")
    if not d.feed.get("title"):
        fail(f"{rel}: feed has no title")
    for link in d.feed.get("links", []):
        check_link(link["href"], rel)
    ids = set()
    for e in d.entries:
        counts["entries"] += 1
        for key in ("id", "title", "link", "updated", "summary"):
            if not e.get(key):
                fail(f"{rel}: entry {e.get('title')!r} has no {key}")
        if e.get("id") in ids:
            fail(f"{rel}: duplicate entry id {e.get('id')}")
        ids.add(e.get("id"))
        if not e.get("content") or not e.content[0].get("value"):
            fail(f"{rel}: entry {e.get('title')!r} has no full content")
        for link in e.get("links", []):
            check_link(link["href"], rel)
        for c in e.get("content", []):
            p = Hrefs()
            p.feed(c.get("value", ""))
            for url in p.urls:
                check_link(url, f"{rel} content of {e.get('title')!r}")

# Sitemap links -----------------------------------------------------------------------------
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
for path in walk(".xml"):
    name = os.path.basename(path)
    if not (name == "sitemap.xml" or re.fullmatch(r"sitemap-\d+\.xml", name)):
        continue
    for loc in ET.parse(path).getroot().iter(NS + "loc"):
        check_link(loc.text.strip(), os.path.relpath(path, out))

# JSON-LD -----------------------------------------------------------------------------------


class JsonLd(html.parser.HTMLParser):
    """Text of every <script type="application/ld+json"> of a page."""

    def __init__(self):
        super().__init__()
        self.blocks, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._in = True
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def need(obj, key, where, kind=str):
    value = obj.get(key)
    if not isinstance(value, kind) or not value:
        fail(f"{where}: {obj.get('@type')} lacks {key}")
        return None
    return value


def check_article(a, where):
    need(a, "headline", where)
    for key in ("datePublished", "dateModified"):
        v = need(a, key, where)
        if v and not ISO.match(v):
            fail(f"{where}: {key} {v!r} is not ISO 8601")
    authors = a.get("author")
    authors = authors if isinstance(authors, list) else [authors]
    if not authors or not all(isinstance(x, dict) and x.get("name") for x in authors):
        fail(f"{where}: NewsArticle author lacks a name")
    pub = a.get("publisher")
    if not isinstance(pub, dict) or not pub.get("name"):
        fail(f"{where}: NewsArticle publisher lacks a name")
    image = a.get("image")
    if image is not None and not (isinstance(image, list) and all(isinstance(i, str) for i in image)):
        fail(f"{where}: NewsArticle image is not a list of URLs")


def check_faq(f, where):
    questions = need(f, "mainEntity", where, list) or []
    for q in questions:
        if q.get("@type") != "Question" or not q.get("name"):
            fail(f"{where}: FAQPage has a Question without a name")
        ans = q.get("acceptedAnswer") or {}
        if ans.get("@type") != "Answer" or not ans.get("text"):
            fail(f"{where}: FAQ question {q.get('name')!r} has no Answer text")
    return [q.get("name") for q in questions]


def check_breadcrumbs(b, where):
    items = need(b, "itemListElement", where, list) or []
    for i, item in enumerate(items, 1):
        if item.get("position") != i or not item.get("name") or not item.get("item"):
            fail(f"{where}: breadcrumb {i} lacks position, name or item")


def urls_in(value):
    """Site URLs in JSON-LD, leaving out what points at others' work (sources, profiles)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("isBasedOn", "sameAs"):
                yield from urls_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from urls_in(v)
    elif isinstance(value, str) and value.startswith(BASE):
        yield value


def front_matter_faqs():
    """title -> [questions] of every article in SITE_ROOT/content/articles."""
    import yaml

    found = {}
    for dirpath, _, files in os.walk(os.path.join(root, "content", "articles")):
        for name in files:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8-sig") as f:
                text = f.read().replace("\r\n", "\n")
            m = re.match(r"---\n(.*?)\n(?:---|\.\.\.)\s*(\n|$)", text, re.S)
            if not m:
                continue
            fm = yaml.safe_load(m.group(1)) or {}
            questions = [q.get("question") for q in fm.get("faq") or []]
            found.setdefault(fm.get("title"), []).append(questions)
    return found


faqs = front_matter_faqs() if root else None
for path in walk(".html"):
    rel = os.path.relpath(path, out)
    with open(path, encoding="utf-8") as f:
        page = JsonLd()
        page.feed(f.read())
    parsed = []
    for text in page.blocks:
        counts["json-ld"] += 1
        try:
            parsed.append(json.loads(text))
        except json.JSONDecodeError as e:
            fail(f"{rel}: JSON-LD does not parse ({e}): {text[:120]!r}")
    by_type = {}
    for block in parsed:
        if block.get("@context") != "https://schema.org":
            fail(f"{rel}: JSON-LD without the schema.org @context")
        by_type.setdefault(block.get("@type"), []).append(block)
        for url in urls_in(block):
            check_link(url, f"{rel} JSON-LD")
    for a in by_type.get("NewsArticle", []):
        check_article(a, rel)
    for b in by_type.get("BreadcrumbList", []):
        check_breadcrumbs(b, rel)
    for w in by_type.get("WebSite", []):
        need(w, "name", rel)
        need(w, "url", rel)
    for f in by_type.get("FAQPage", []):
        counts["faq pages"] += 1
        questions = check_faq(f, rel)
        if faqs is None:
            continue
        headlines = [a.get("headline") for a in by_type.get("NewsArticle", [])]
        if not headlines:
            fail(f"{rel}: FAQPage without a NewsArticle to match it to its source")
        elif questions not in faqs.get(headlines[0], []):
            fail(f"{rel}: FAQPage questions {questions} differ from the front matter's {faqs.get(headlines[0])}")

for p in problems:
    print("FAIL", p, file=sys.stderr)
print(
    "consumers: {feeds} feeds ({entries} entries) parse in feedparser; {json-ld} JSON-LD blocks, "
    "{faq pages} FAQ pages; {links} links resolve".format(**counts)
    + ("" if root else " (no SITE_ROOT: FAQ front matter not compared)")
)
sys.exit(1 if problems else 0)
PY

if ((status)); then
  echo "check.sh: FAILED" >&2
else
  echo "check.sh: all consumers accept $out"
fi
exit "$status"
