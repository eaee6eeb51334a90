"""How well HTML article extraction keeps the article and drops the page around it: trafilatura
(`ingest/news.py` today) against the hand-written HTMLParser extractor it replaced, read from git.

The shared corpus's 22 news articles are archive Markdown and plain text: none of them goes
through the HTML path (`news.parse_archive` / `news.parse_dateline_text` read them). So each
article's body is rendered to HTML (markdown-it-py, tables on) and set inside page chrome written
here (navigation, share bar, related links, author bio, newsletter box, comments, cookie banner,
footer) in three page layouts: `<article>`, `<main>` with a WordPress-style content div, and
bare `<div>`s. Which words are body and which are boilerplate is then known exactly:

- body words kept: share of the body's words (as a multiset) found in the extraction;
- paragraphs kept: body paragraphs whose words appear, in order, in the extraction, split into
  prose and link-only ones (mostly link text: a related-links list the archive kept in the body);
- boilerplate removed: share of the chrome snippets absent from the extraction;
- FR links kept: links to Federal Register documents in the body whose URL the extraction keeps;
- table rows kept: body table rows whose cells all stand, in order, on one line of the output.

The project's own HTML pages (sample corpus, test fixture) are run too (words of the article
body as the page marks it, and the boilerplate snippets each page carries).

    python -m listlens.evals.extract_compare --corpus ../shared/corpus --baseline-rev e2bfdd8 \
        --out extract_compare.json

Only figures are printed and written; nothing of the articles' text leaves the corpus.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from listlens.ingest import news
from listlens.ingest.readers import read_path

REPO = Path(__file__).resolve().parents[1]
Extractor = Callable[[str], str]

# Page chrome, written for this comparison. Each snippet is distinctive, so finding it in an
# extraction means the extractor kept that piece of boilerplate.
NAV = "Home World Technology Policy Podcasts Events"
CHROME = {
    "nav": NAV,
    "share": "Share this story on social networks or by email",
    "related": "Related coverage: port authority fines a shipping broker over forged manifests",
    "author_bio": "The author has written about customs enforcement for a decade and keeps bees",
    "newsletter": "Sign up for our weekly newsletter on trade and technology policy",
    "comments": "Reader comment: is this the third such action this quarter or the fourth",
    "popular": "Most read this week: how wartime shipping insurance is priced",
    "cookie": "We use cookies to improve your experience; accept or manage your preferences",
    "footer": "Copyright Example Newsroom Group. All rights reserved. Privacy policy and terms of use",
}


def _head(title: str) -> str:
    return (f"<head><meta charset='utf-8'><title>{title} | Example Newsroom</title>"
            f"<meta property='og:title' content='{title}'><meta property='og:site_name' "
            "content='Example Newsroom'><meta property='article:published_time' "
            "content='2021-11-03T10:00:00Z'></head>")


def _links(hrefs: str = "/ /world /tech /policy /podcasts /events") -> str:
    return " ".join(f"<a href='{h}'>{w}</a>" for h, w in zip(hrefs.split(), NAV.split()))


def layout_article(title: str, body: str) -> str:
    c = CHROME
    return (f"<!doctype html><html>{_head(title)}<body><header><nav>{_links()}</nav></header>"
            f"<div class='share-bar'><a href='#'>{c['share']}</a></div>"
            f"<article class='story'><h1>{title}</h1><p class='byline'>By Staff Writer</p>{body}"
            f"<div class='related-links'><h3>Related</h3><ul><li><a href='/r1'>{c['related']}</a>"
            f"</li></ul></div><div class='author-bio'><p>{c['author_bio']}</p></div></article>"
            f"<aside class='sidebar'><h3>Popular</h3><p>{c['popular']}</p>"
            f"<form class='newsletter'><p>{c['newsletter']}</p><input type='email'></form></aside>"
            f"<div class='cookie-banner'><p>{c['cookie']}</p><button>OK</button></div>"
            f"<footer><p>{c['footer']}</p></footer></body></html>")


def layout_wordpress(title: str, body: str) -> str:
    c = CHROME
    return (f"<!doctype html><html>{_head(title)}<body class='single post'><div id='page'>"
            f"<div class='site-header'><div class='menu-main'>{_links()}</div></div>"
            f"<main id='main' class='site-main'><h1 class='entry-title'>{title}</h1>"
            f"<div class='entry-content'>{body}<div class='sharedaddy'><p>{c['share']}</p></div>"
            f"</div><section class='newsletter-signup'><p>{c['newsletter']}</p></section>"
            f"<div class='entry-author'><p>{c['author_bio']}</p></div>"
            f"<div id='comments' class='comments-area'><ol><li><p>{c['comments']}</p></li></ol>"
            f"</div></main><div id='secondary' class='widget-area'><section class='widget'>"
            f"<p>{c['popular']}</p><p><a href='/r1'>{c['related']}</a></p></section></div>"
            f"<div class='site-footer'><p>{c['cookie']}</p><p>{c['footer']}</p></div>"
            f"</div></body></html>")


def layout_divs(title: str, body: str) -> str:
    c = CHROME
    return (f"<!doctype html><html>{_head(title)}<body><div class='top'>{_links()}</div>"
            f"<div class='layout'><div class='col-main'><div class='headline'>{title}</div>"
            f"<div class='text'>{body}</div><div class='more'><a href='/r1'>{c['related']}</a>"
            f"</div></div><div class='col-side'><div class='box'>{c['popular']}</div>"
            f"<div class='box'>{c['newsletter']}</div></div></div>"
            f"<div class='bottom'><p>{c['share']}</p><p>{c['cookie']}</p>"
            f"<p>{c['footer']}</p></div></body></html>")


LAYOUTS = {"article": layout_article, "wordpress": layout_wordpress, "divs": layout_divs}


# --- measuring --------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    """Lower-case words, URLs left out (an FR link kept as '(https://...)' is not body text)."""
    return re.findall(r"\w+", re.sub(r"https?://\S+", " ", text).lower())


def _seq(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def measure(extracted: str, body_text: str, paragraphs: list[tuple[str, bool]], rows: list[list[str]],
            fr_links: list[str], chrome: dict[str, str]) -> dict:
    got, want = Counter(words(extracted)), Counter(words(body_text))
    kept = sum(min(n, got[w]) for w, n in want.items())
    whole = _seq(extracted)
    lines = [_seq(line) for line in extracted.split("\n")]
    return {
        "body_words": sum(want.values()), "body_words_kept": kept,
        "paragraphs": len(paragraphs),
        "paragraphs_kept": sum(_seq(p) in whole for p, _ in paragraphs),
        "prose_paragraphs": sum(not linked for _, linked in paragraphs),
        "prose_paragraphs_kept": sum(_seq(p) in whole for p, linked in paragraphs if not linked),
        "chrome": len(chrome), "chrome_kept": sorted(k for k, s in chrome.items() if _seq(s) in whole),
        "fr_links": len(fr_links), "fr_links_kept": sum(url in extracted for url in fr_links),
        "table_rows": len(rows),
        "table_rows_kept": sum(any(_seq(" ".join(r)) in line for line in lines) for r in rows),
        "extracted_words": sum(got.values()),
    }


def body_parts(fragment: str) -> tuple[str, list[tuple[str, bool]], list[list[str]], list[str]]:
    """(text, paragraphs, table rows as cell lists, FR document links) of a body's HTML. Each
    paragraph comes with whether it is mostly link text (a related-links list, a "More <link>"
    line): losing one of those is losing boilerplate that sat inside the body."""
    import lxml.html
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    paragraphs = []
    for el in root.iter("p", "li", "h2", "h3", "h4"):
        text = " ".join(el.text_content().split())
        linked = sum(len(words(a.text_content())) for a in el.iter("a"))
        if text:
            paragraphs.append((text, linked >= 0.5 * len(words(text))))
    rows = [[" ".join(c.text_content().split()) for c in tr.iter("td", "th")] for tr in root.iter("tr")]
    links = [a.get("href", "") for a in root.iter("a") if news.FR_DOC_LINK.match(a.get("href", ""))]
    return root.text_content(), paragraphs, [r for r in rows if any(r)], links


# --- the corpus ---------------------------------------------------------------------------------

def article_markdown(path: Path) -> tuple[str, str]:
    """(title, body Markdown) of a shared-corpus news file, image lines and the archive's
    "Unknown" placeholder lines left out (the Markdown reader drops both too)."""
    text = path.read_text(encoding="utf-8")
    doc = read_path(path)[0]
    if news.looks_like_archive(text):
        body = text.split("\n## Article:", 1)[1].split("\n", 1)[1]
        body = re.split(r"^#{2,4} Tags:\s*$", body, flags=re.M)[0]
    else:  # plain text: the lines after the date line and the title
        body = "\n".join(text.strip().split("\n")[1:])
    body = "\n".join(line for line in body.split("\n")
                     if not re.fullmatch(r"\s*!\[.*\]\(.*\)\s*|\s*Unknown\s*", line))
    return str(doc.metadata.get("title", path.stem)), body


def own_pages() -> list[tuple[str, str]]:
    """(name, html) of the project's own HTML documents."""
    pages = sorted((REPO / "app" / "sample_corpus").rglob("*.html"))
    pages.append(REPO / "tests" / "fixtures" / "ingest" / "article.html")
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in pages]


def own_page_parts(html: str) -> tuple[str, list[str], list[list[str]], list[str], dict[str, str]]:
    """The article of one of our own pages is its <article>; its chrome is the text of the
    elements around it and of the widgets inside it (share, related, author bio)."""
    import lxml.html
    root = lxml.html.fromstring(html)
    article = root.find(".//article")
    chrome = {}
    widgets = [el for el in article.iter() if re.search(r"share|related|author-bio", el.get("class", ""))]
    for el in widgets:
        chrome[f"in-article {el.get('class')}"] = " ".join(el.text_content().split())
        el.drop_tree()
    for tag in ("nav", "aside", "footer"):
        for el in root.iter(tag):
            chrome[f"{tag}"] = " ".join(el.text_content().split())
    for el in [*article.iter("h1"), *article.iter("script", "style")]:
        el.drop_tree()  # the title is metadata, a script's text is code: neither is body
    fragment = lxml.html.tostring(article, encoding="unicode")
    text, paragraphs, rows, links = body_parts(fragment)
    return text, paragraphs, rows, links, {k: v for k, v in chrome.items() if v}


# --- extractors ------------------------------------------------------------------------------

def baseline_extractor(rev: str) -> Extractor:
    """`html_article` of ingest/news.py at git revision `rev` (the HTMLParser extractor)."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:ingest/news.py"],
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "news_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("news_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return lambda html: module.html_article(html)[0]


def current_extractor(html: str) -> str:
    return news.html_article(html)[0]


def summarise(rows: list[dict]) -> dict:
    def total(key: str) -> int:
        return sum(r[key] for r in rows)
    chrome_kept = sum(len(r["chrome_kept"]) for r in rows)
    return {
        "pages": len(rows),
        "body_words_kept_pct": round(100 * total("body_words_kept") / max(1, total("body_words")), 2),
        "paragraphs_kept": f"{total('paragraphs_kept')}/{total('paragraphs')}",
        "prose_paragraphs_kept": f"{total('prose_paragraphs_kept')}/{total('prose_paragraphs')}",
        "link_paragraphs_kept": f"{total('paragraphs_kept') - total('prose_paragraphs_kept')}/"
                                f"{total('paragraphs') - total('prose_paragraphs')}",
        "pages_losing_words": sum(r["body_words_kept"] < r["body_words"] for r in rows),
        "boilerplate_removed_pct": round(100 * (1 - chrome_kept / max(1, total("chrome"))), 2),
        "boilerplate_kept": dict(Counter(k for r in rows for k in r["chrome_kept"])),
        "fr_links_kept": f"{total('fr_links_kept')}/{total('fr_links')}",
        "table_rows_kept": f"{total('table_rows_kept')}/{total('table_rows')}",
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus",
                        help="the shared corpus (its raw/news/ holds the articles)")
    parser.add_argument("--baseline-rev", default="e2bfdd8",
                        help="git revision whose ingest/news.py holds the HTMLParser extractor")
    parser.add_argument("--out", type=Path, default=Path("extract_compare.json"))
    args = parser.parse_args(argv)

    extractors = {"htmlparser": baseline_extractor(args.baseline_rev), "trafilatura": current_extractor}
    files = sorted((args.corpus / "raw" / "news").rglob("*.*"))
    routes = {str(f.relative_to(args.corpus)): read_path(f)[0].metadata.get("doc_type") for f in files}
    md = MarkdownIt("commonmark").enable("table")
    per_page: dict[str, list[dict]] = {name: [] for name in extractors}
    for f in files:
        title, body_md = article_markdown(f)
        fragment = md.render(body_md)
        text, paragraphs, rows, links = body_parts(fragment)
        for layout, build in LAYOUTS.items():
            html = build(title, fragment)
            for name, extract in extractors.items():
                per_page[name].append({"page": f"{f.relative_to(args.corpus)} [{layout}]",
                                       **measure(extract(html), text, paragraphs, rows, links, CHROME)})
    own: dict[str, list[dict]] = {name: [] for name in extractors}
    for page, html in own_pages():
        text, paragraphs, rows, links, chrome = own_page_parts(html)
        for name, extract in extractors.items():
            own[name].append({"page": page, **measure(extract(html), text, paragraphs, rows, links, chrome)})

    result = {
        "command": "python -m listlens.evals.extract_compare " + " ".join(argv or sys.argv[1:]),
        "news_files": len(files),
        "news_files_through_html_path": sum(f.suffix.lower() in (".html", ".htm") for f in files),
        "news_doc_types": dict(Counter(routes.values())),
        "corpus_articles_in_chrome": {name: summarise(r) for name, r in per_page.items()},
        "own_html_pages": {name: summarise(r) for name, r in own.items()},
        "per_page": {"corpus": per_page, "own": own},
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{len(files)} news files; through the HTML path: {result['news_files_through_html_path']} "
          f"(doc types {result['news_doc_types']}); each body set in {len(LAYOUTS)} page layouts")
    for label, block in (("corpus articles in page chrome", result["corpus_articles_in_chrome"]),
                         ("own HTML pages", result["own_html_pages"])):
        print(f"\n{label}")
        for name, s in block.items():
            print(f"  {name:12} pages {s['pages']:3}  body words kept {s['body_words_kept_pct']:6.2f}%  "
                  f"paragraphs {s['paragraphs_kept']:>9} (prose {s['prose_paragraphs_kept']}, link-only "
                  f"{s['link_paragraphs_kept']})  pages losing words {s['pages_losing_words']:3}  "
                  f"boilerplate removed {s['boilerplate_removed_pct']:6.2f}%  FR links {s['fr_links_kept']:>5}  "
                  f"table rows {s['table_rows_kept']:>5}")
            if s["boilerplate_kept"]:
                print(f"  {'':12} boilerplate kept: {s['boilerplate_kept']}")
    print(f"\nwrote {args.out}")
    return result


if __name__ == "__main__":
    main()
