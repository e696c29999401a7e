#!/usr/bin/env python3
"""Builds the document folders of the knowledge benchmark's Debian evaluation sets from installed packages.

  apt-get install python3-doc debian-reference-en
  python3 bench/knowledge-sets/build_corpus.py OUT

writes OUT/python-docs/*.md (one document per page of the Python 3 documentation, python3-doc) and
OUT/debian-reference/*.md (one document per section of the Debian Reference, debian-reference-en), each a
Markdown file with the page or section title and its headings. The questions are the committed
*.questions.tsv files beside this script (question <TAB> relevant document names separated by spaces).
The benchmark adds thousands of manual pages as further distractors.
"""
import html.parser
import os
import re
import sys

PYTHON_HTML = "/usr/share/doc/python3-dev/html"
DEBIAN_REFERENCE = "/usr/share/debian-reference"
BLOCKS = {"p", "li", "pre", "dt", "dd", "tr", "div", "table", "blockquote", "br"}
SKIP = {"script", "style", "head"}


class Text(html.parser.HTMLParser):
    """Markdown-ish text of an HTML fragment: headings as '#' lines, blocks on their own lines."""

    def __init__(self, main_only):
        super().__init__(convert_charrefs=True)
        self.main_only = main_only
        self.depth = 0 if main_only else 1  # >0 while inside the main content
        self.skip = 0
        self.skip_tag = None
        self.out = []
        self.heading = None
        self.parts = []  # (level, title, text) when splitting by sections

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.main_only and (attrs.get("role") == "main" or self.depth > 0) and tag == "div":
            self.depth += 1
        if self.skip and tag == self.skip_tag:
            self.skip += 1
        elif not self.skip and (tag in SKIP or attrs.get("class") == "headerlink"):
            self.skip, self.skip_tag = 1, tag
        if self.depth <= 0:
            return
        if re.fullmatch(r"h[1-4]", tag):
            self.heading = int(tag[1])
            self.out.append("\n" + "#" * self.heading + " ")
        elif tag in BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if self.skip and tag == self.skip_tag:
            self.skip -= 1
        if self.depth <= 0:
            return
        if re.fullmatch(r"h[1-4]", tag):
            self.heading = None
            self.out.append("\n")
        if self.main_only and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.skip or self.depth <= 0:
            return
        if data.strip() == "¶":
            return
        self.out.append(data if self.heading is None else " ".join(data.split()))

    def text(self):
        text = "".join(self.out)
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def python_docs(out):
    count = 0
    for folder, _, files in os.walk(PYTHON_HTML, followlinks=True):
        for name in sorted(files):
            if not name.endswith(".html") or name in ("genindex.html", "search.html", "py-modindex.html"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, PYTHON_HTML)
            if rel.startswith(("_", "genindex")):
                continue
            parser = Text(main_only=True)
            with open(path, encoding="utf-8", errors="replace") as f:
                parser.feed(f.read())
            text = parser.text()
            if len(text) < 200:
                continue
            write(out, rel[:-5].replace("/", "__"), text)
            count += 1
    return count


def debian_reference(out):
    count = 0
    heading = re.compile(r'<h([23]) class="title"><a id="([^"]+)"/>(.*?)</h\1>', re.S)
    for name in sorted(os.listdir(DEBIAN_REFERENCE)):
        if not re.fullmatch(r"(ch\d\d|apa)\.en\.html", name):
            continue
        with open(os.path.join(DEBIAN_REFERENCE, name), encoding="utf-8") as f:
            page = f.read()
        marks = list(heading.finditer(page))
        chapter = ""
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(page)
            title = re.sub(r"^[\d.A-Z]+\.\s+", "", re.sub(r"<[^>]+>", "", mark.group(3))).strip()
            if mark.group(1) == "2":
                chapter = title
            parser = Text(main_only=False)
            parser.feed(page[mark.end():end])
            body = parser.text()
            if len(body) < 80:
                continue
            prefix = f"# {title}\n\n" if mark.group(1) == "2" else f"# {title}\n\n_Part of: {chapter}_\n\n"
            write(out, mark.group(2).strip("_"), prefix + body)
            count += 1
    return count


def write(out, name, text):
    os.makedirs(out, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    with open(os.path.join(out, name + ".md"), "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else "knowledge-sets-corpus"
    print("python-docs", python_docs(os.path.join(root, "python-docs")))
    print("debian-reference", debian_reference(os.path.join(root, "debian-reference")))
