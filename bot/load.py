"""Turn a file or URL into a cleaned `Article`: main text only, plus title, date and byline when present.

Every failure a user can cause raises `LoadError`: where, what was wrong, and what to do. A browser upload
has no path: `load_bytes` reads its bytes under the name it was given, which is never used on disk.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

from bot.errors import UserError
from bot.records import Article
from bot.sentences import split_sentences

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
TITLE_CHARS = 90  # a title made from the first sentence is cut near this length


class LoadError(UserError):
    """An article could not be read; str(err) is the line shown to the user."""

    def __init__(self, location: str, problem: str, fix: str = "") -> None:
        super().__init__(f"{location}: {problem}", fix)
        self.location = location


def is_url(target: str) -> bool:
    return urlparse(target).scheme in ("http", "https")


def load(target: str, max_bytes: int, timeout: float = 20.0) -> Article:
    """Read a path or an http(s) URL."""
    if is_url(target):
        data, kind = _fetch(target, max_bytes, timeout)
        return _parse(data, kind, target, fallback_title=_url_title(target))
    path = Path(target).expanduser().resolve()
    if not path.is_file():
        raise LoadError(target, "no such file", "check the path")
    file_kind = _kind_of(path.suffix.lower())
    if file_kind is None:
        raise LoadError(target, f"unsupported file type {path.suffix or '(none)'!r}",
                        f"supported: {', '.join(sorted(SUPPORTED))}")
    size = path.stat().st_size
    if size > max_bytes:
        raise LoadError(target, f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit",
                        "split the file or raise BOT_MAX_FILE_MB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(target, f"cannot read the file ({exc.strerror or exc})", "check its permissions") from exc
    return _parse(data, _checked_kind(file_kind, data, target), str(path), fallback_title=_readable(path.stem))


def load_bytes(data: bytes, name: str, max_bytes: int) -> Article:
    """An upload: bytes and the file name the browser gave. The type comes from the name's extension, checked
    against the content; the article's location is ``upload:<name>`` (the name is never a path on disk)."""
    name = Path(name.replace("\\", "/")).name or "upload"
    location = f"upload:{name}"
    kind = _kind_of(Path(name).suffix.lower()) or _sniff(data)
    if kind is None:
        raise LoadError(location, f"unsupported file type {Path(name).suffix or '(none)'!r}",
                        f"supported: {', '.join(sorted(SUPPORTED))}")
    if len(data) > max_bytes:
        raise LoadError(location, f"{len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit",
                        "split the file or raise BOT_MAX_FILE_MB")
    return _parse(data, _checked_kind(kind, data, location), location, fallback_title=_readable(Path(name).stem))


def _sniff(data: bytes) -> str | None:
    """The kind the content itself shows (None: no telling)."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return None


def _checked_kind(kind: str, data: bytes, location: str) -> str:
    """The extension's kind unless the content says otherwise: a PDF under another name is read as a PDF;
    a file named .pdf that is not one is refused."""
    sniffed = _sniff(data)
    if kind == "pdf" and sniffed != "pdf" and data.strip():
        raise LoadError(location, "unreadable PDF (the file does not start like a PDF)",
                        "check that it is really a PDF")
    return "pdf" if sniffed == "pdf" else kind


def _kind_of(suffix: str) -> str | None:
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    return None


def _parse(data: bytes, kind: str, location: str, fallback_title: str) -> Article:
    if not data.strip():
        raise LoadError(location, "the file is empty", "add the article's text, or leave the file out")
    title, published, author = "", "", ""
    if kind == "pdf":
        text, title = _pdf_text(data, location)
    elif kind == "html":
        text, title, published, author = _html_text(decode_text(data, location), location)
    else:
        text = decode_text(data, location)
        title = _first_line_title(text)
    text = clean_text(text)
    if not text:
        raise LoadError(location, "no article text found (only whitespace or markup)")
    return Article(
        source_id=content_id(text),
        location=location,
        title=one_line(title or opening_title(text) or fallback_title)[:200],
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        published=one_line(published),
        author=one_line(author)[:200],
    )


def one_line(text: str) -> str:
    """A title or byline as one line of visible text (a title is shown in lists, prompts and terminals)."""
    return " ".join(JOINER_IN_WORD.sub("", INVISIBLE.sub("", unicodedata.normalize("NFC", text))).split())


def content_id(text: str) -> str:
    """Stable source id: the same article text gets the same id wherever it is read from."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def decode_text(data: bytes, location: str) -> str:
    """UTF-8 when it is, else the detected encoding; binary data is refused."""
    if b"\x00" in data[:8192]:
        raise LoadError(location, "looks like a binary file, not text", "ingest .txt, .md, .html or .pdf files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(location, "cannot detect the text encoding (is it a binary file?)", "save it as UTF-8")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise LoadError(location, "looks like a binary file, not text", "ingest .txt, .md, .html or .pdf files")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


# Characters a reader cannot see that change what text means or how it shows: control codes, zero-width
# spaces, bidi embeddings/overrides/isolates ("Trojan source" reordering), interlinear annotations. Removed
# before offsets are defined, so a hidden character can split no name and reorder no line. ZWJ and ZWNJ stay:
# Persian, Indic scripts and emoji need them.
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u2069\ufeff\ufff9-\ufffb]")
LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029\x85]")
_LETTER = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
JOINER_IN_WORD = re.compile(f"(?<=[{_LETTER}])[\u200c\u200d]+(?=[{_LETTER}])")  # they join nothing in Latin,
# Greek or Cyrillic: there they only hide a name from search ("Ryab\u200dkov")


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = JOINER_IN_WORD.sub("", INVISIBLE.sub("", LINE_BREAKS.sub("\n", text)))
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _first_line_title(text: str) -> str:
    """The first line when it reads like a headline (short, no closing full stop), else "" (file name)."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 and not line.endswith((".", "?", "!", "”", '"')) else ""
    return ""


def opening_title(text: str, limit: int = TITLE_CHARS) -> str:
    """A title from an article without a headline: its first sentence, cut at a word near ``limit`` characters
    (a file name such as "trump_putin_talks_rjabkow.txt" says less than the text)."""
    first = next((s.text for s in split_sentences(text[:2000]) if len(s.text.split()) >= 3), "")
    first = " ".join(first.split())
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"


def _html_text(html: str, location: str) -> tuple[str, str, str, str]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=location if is_url(location) else None, with_metadata=True,
            include_comments=False, include_tables=True, favor_recall=True,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise LoadError(location, f"cannot parse the HTML ({exc})", "save the page again, or its text as .txt") from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise LoadError(location, "no article text found in the HTML page", "save the article's text as .txt")
    title = getattr(doc, "title", "") or ""
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :]  # trafilatura repeats the headline as the first line
    return text, title, getattr(doc, "date", "") or "", getattr(doc, "author", "") or ""


def _pdf_text(data: bytes, location: str) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise LoadError(location, "the PDF is encrypted", "save an unencrypted copy and ingest that")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except LoadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(location, f"unreadable PDF ({type(exc).__name__}: {exc})",
                        "check that it opens in a PDF viewer") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise LoadError(location, "the PDF has no extractable text (a scan?)", "run OCR on it first")
    return text, str(title)


def _fetch(url: str, max_bytes: int, timeout: float) -> tuple[bytes, str]:
    import httpx

    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": "article-bot/0.1"}) as resp:
            resp.raise_for_status()
            chunks: list[bytes] = []
            size = 0
            for part in resp.iter_bytes():
                size += len(part)
                if size > max_bytes:
                    raise LoadError(url, f"over the {max_bytes / 1e6:.1f} MB limit", "raise BOT_MAX_FILE_MB")
                chunks.append(part)
            ctype = resp.headers.get("content-type", "").lower()
    except httpx.HTTPStatusError as exc:
        raise LoadError(url, f"the server answered HTTP {exc.response.status_code}", "check the address") from exc
    except httpx.HTTPError as exc:
        raise LoadError(url, f"cannot fetch ({type(exc).__name__}: {exc or 'no answer'})",
                        "check the address and your network, or save the page and ingest the file") from exc
    path = urlparse(url).path.lower()
    if "pdf" in ctype or path.endswith(".pdf"):
        kind = "pdf"
    elif "html" in ctype or "xml" in ctype:
        kind = "html"
    elif ctype.startswith("text/"):
        kind = "text"
    else:
        kind = _kind_of(Path(path).suffix) or "html"
    return b"".join(chunks), kind


def _url_title(url: str) -> str:
    parsed = urlparse(url)
    return _readable(Path(parsed.path).stem) or parsed.netloc


def _readable(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:]
