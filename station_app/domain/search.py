"""Find a service item or 一事联办 bundle in a few keystrokes: 汉字, 全拼 or 拼音首字母.

Workers type whatever is fastest for them ("老年证", "laonianzheng", "lnz", "yi bao") and the
index answers on every keystroke, so all pinyin is computed once when the index is built;
a query only compares short strings.

Pinyin readings. The primary reading of a name is pypinyin's phrase-aware reading (it already
reads 银行 as yin-hang, 重度 as zhong-du, 参保 as can-bao), pinned for a few domain words by
`_KNOWN_WORDS` so a dictionary update cannot change them. Other readings of 多音字 are accepted
only in the lowest tier (`PINYIN`), so a worker who types the "other" reading still finds the
item without rare readings pushing noise into the upper tiers.

Synonyms. Names and aliases are also indexed with common short and long forms swapped
(医保 ↔ 医疗保险, 老年证 ↔ 老年人优待证 …), so "ylbx" finds an item called "…医保…".

Readings computed before. pypinyin with its phrase dictionary is a large part of a start, and
the catalogue's names change only with the catalogue, so the index takes the readings of each
汉字 run from a table (`Readings`) the caller keeps between starts (services.search_cache),
adding what it lacks; pypinyin is imported only for runs not in the table.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from station_app import __version__
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.normalize import remove_spaces, to_halfwidth

__all__ = ["READINGS_KEY", "Readings", "Score", "SearchHit", "SearchIndex", "fold"]

HitKind = Literal["item", "bundle"]


class Score(IntEnum):
    """Base score of each match tier; a hit's score is its tier plus a small bonus (< 50)."""

    CODE = 1000  # the item code itself, e.g. "rs04"
    EXACT = 900  # the whole name or alias, in 汉字 or full pinyin
    PREFIX = 800  # start of a name or alias, in 汉字 or full pinyin
    INITIALS = 750  # the initials of a whole name or alias ("lnz" for the alias 老年证)
    NAME_INITIALS = 700  # pinyin initials at the start of, or inside, the name
    ALIAS_INITIALS = 600  # pinyin initials inside an alias
    SUBSTRING = 500  # 汉字 inside a name or alias
    CODE_PREFIX = 400  # start of a code, e.g. "yb"
    PINYIN = 300  # anything else: syllable-aligned pinyin, mixed 全拼/首字母, other readings
    NONE = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result; `matched` is the name, alias or code that matched, as the catalogue spells it."""

    kind: HitKind
    code: str
    name: str
    matched: str
    score: int


# Domain words whose reading must not depend on the pypinyin dictionary version.
_KNOWN_WORDS: dict[str, tuple[str, ...]] = {
    "银行": ("yin", "hang"), "重度": ("zhong", "du"), "重残": ("zhong", "can"),
    "参保": ("can", "bao"), "参加": ("can", "jia"), "长辈": ("zhang", "bei"),
    "长者": ("zhang", "zhe"), "长期": ("chang", "qi"), "单位": ("dan", "wei"),
    "单亲": ("dan", "qin"), "供养": ("gong", "yang"), "给付": ("ji", "fu"),
    "调解": ("tiao", "jie"), "核对": ("he", "dui"), "校验": ("jiao", "yan"),
}

Readings = dict[str, list[list[str]]]  # 汉字 run -> per character, primary reading first
# What a kept table of readings was made by: another release (another pypinyin) or other
# pinned words make it stale.
READINGS_KEY = __version__ + ":" + hashlib.sha256(repr(sorted(_KNOWN_WORDS.items()))
                                                 .encode()).hexdigest()[:16]

# Short and long forms people use interchangeably; each side is indexed as the other.
_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("医保", "医疗保险"), ("社保", "社会保险"), ("低保", "最低生活保障"),
    ("老年证", "老年人优待证"), ("公租房", "公共租赁住房"), ("残疾证", "残疾人证"),
    ("公积金", "住房公积金"),
)

# Where a term comes from, best first: a name, its synonym form, an alias, its synonym form.
_NAME, _NAME_SYNONYM, _ALIAS, _ALIAS_SYNONYM = 0, 1, 2, 3
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RUN_RE = re.compile(f"([{_HAN}]+)|[^{_HAN}]+")


def fold(text: str) -> str:
    """Comparable form: half-width, lower case, no spaces or punctuation."""
    text = remove_spaces(to_halfwidth(text)).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC")


def _han_readings(run: str, known: Readings) -> list[tuple[str, ...]]:
    """Per character: primary reading first, then the other readings of a 多音字; from
    ``known`` when the run was read before, else computed and added to it."""
    if run in known:
        return [tuple(r) for r in known[run]]
    from pypinyin import Style, lazy_pinyin, pinyin  # only for text not read before

    primary = lazy_pinyin(run, style=Style.NORMAL)
    if len(primary) != len(run):  # a run of characters without pinyin came back as one chunk
        primary = [lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in run]
    for word, fixed in _KNOWN_WORDS.items():
        at = run.find(word)
        while at >= 0:
            primary[at : at + len(word)] = fixed
            at = run.find(word, at + len(word))
    out: list[tuple[str, ...]] = []
    for ch, first in zip(run, primary, strict=True):
        others = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
        out.append((first, *dict.fromkeys(r for r in others if r != first)))
    known[run] = [list(r) for r in out]
    return out


@dataclass(frozen=True, slots=True)
class _Term:
    """A name or alias with everything a query needs, computed once."""

    origin: int  # _NAME … _ALIAS_SYNONYM
    text: str  # as written in the catalogue (shown as `matched`)
    han: str  # folded 汉字 form
    full: str  # primary full pinyin, concatenated
    initials: str  # one letter per syllable (whole runs of letters/digits count as one)
    readings: tuple[tuple[str, ...], ...]  # per syllable, primary first
    letters: frozenset[str]  # every character of every reading: a cheap pre-filter

    @classmethod
    def build(cls, origin: int, text: str, han: str, known: Readings) -> _Term:
        readings: list[tuple[str, ...]] = []
        for m in _RUN_RE.finditer(han):  # 汉字 runs, and runs of letters/digits
            readings.extend(_han_readings(m[0], known) if m[1] else [(m[0],)])
        full = "".join(r[0] for r in readings)
        initials = "".join(r[0][0] for r in readings)
        letters = frozenset("".join("".join(r) for r in readings))
        return cls(origin, text, han, full, initials, tuple(readings), letters)

    def score(self, q: str, latin: bool) -> int:
        """Best tier this term reaches for the folded query `q` (0 when it does not match)."""
        bonus = 20 - 5 * self.origin  # name > name synonym > alias > alias synonym
        if q == self.han or (latin and q == self.full):
            return Score.EXACT + bonus
        if self.han.startswith(q) or (latin and self.full.startswith(q)):
            return Score.PREFIX + bonus
        if latin and q == self.initials:
            return Score.INITIALS + bonus
        if latin and q in self.initials:
            tier = Score.NAME_INITIALS if self.origin <= _NAME_SYNONYM else Score.ALIAS_INITIALS
            return tier + (10 if self.initials.startswith(q) else 0) + bonus
        if q in self.han:
            return Score.SUBSTRING + bonus
        if latin and self.letters.issuperset(q):
            start = _abbreviation_start(q, self.readings)
            if start is not None:
                return Score.PINYIN + (10 if start == 0 else 0) + bonus
        return 0


def _abbreviation_start(q: str, readings: tuple[tuple[str, ...], ...]) -> int | None:
    """First syllable from which `q` spells consecutive syllables, each by a non-empty prefix
    of one of its readings ("yibx", "yiliaobaoxian", "ylbx"); None when there is none."""
    n, m = len(readings), len(q)
    memo: dict[tuple[int, int], bool] = {}

    def fits(pos: int, syl: int) -> bool:
        if pos == m or syl == n:
            return pos == m
        key = (pos, syl)
        if key not in memo:
            memo[key] = any(
                q.startswith(r[:k], pos) and fits(pos + k, syl + 1)
                for r in readings[syl]
                for k in range(min(len(r), m - pos), 0, -1)
            )
        return memo[key]

    return next((s for s in range(n) if q[0] in {r[0] for r in readings[s]} and fits(0, s)), None)


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: HitKind
    code: str
    name: str
    categories: frozenset[str]
    terms: tuple[_Term, ...]


def _expand_synonyms(han: str) -> list[str]:
    """`han` with each known long form shortened, or short form lengthened (not both ways)."""
    return [han.replace(long, short) if long in han else han.replace(short, long)
            for short, long in _SYNONYMS if short in han or long in han]


def _terms(name: str, aliases: Iterable[str], known: Readings) -> tuple[_Term, ...]:
    terms: list[_Term] = []
    seen: set[str] = set()
    for origin, text in [(_NAME, name), *((_ALIAS, a) for a in aliases)]:
        han = fold(text)
        if not han or han in seen:
            continue
        seen.add(han)
        terms.append(_Term.build(origin, text, han, known))
        for variant in _expand_synonyms(han):
            if variant not in seen:
                seen.add(variant)
                terms.append(_Term.build(origin + 1, text, variant, known))
    return tuple(terms)


class SearchIndex:
    """All items and bundles of one catalogue, ready to be searched on every keystroke.

    ``readings``: a table of readings made before with the same :data:`READINGS_KEY`; the
    index adds what it had to compute, and keeps the table as ``readings`` (to be kept for
    the next start when ``readings_added``)."""

    def __init__(self, catalogue: Catalogue, readings: Readings | None = None) -> None:
        known: Readings = readings if readings is not None else {}
        before = len(known)
        entries: list[_Entry] = []
        for item in catalogue.items.values():
            entries.append(_Entry("item", item.code, item.name, frozenset({item.category}),
                                  _terms(item.name, item.aliases, known)))
        for b in catalogue.header.bundles:
            cats = frozenset(catalogue.items[c].category for c in b.items if c in catalogue.items)
            entries.append(_Entry("bundle", b.code, b.name, cats,
                                  _terms(b.name, b.aliases, known)))
        self._entries = tuple(sorted(entries, key=lambda e: (e.code, e.kind)))
        self.readings, self.readings_added = known, len(known) != before

    def __len__(self) -> int:
        return len(self._entries)

    def search(
        self, query: str, *, category: str | None = None, limit: int | None = None
    ) -> list[SearchHit]:
        """Hits ranked best first (ties by code). An empty query lists everything by code.

        `category` keeps items of that category and bundles containing such an item.
        """
        q = fold(query)
        latin = q.isascii()
        hits: list[SearchHit] = []
        for e in self._entries:
            if category is not None and category not in e.categories:
                continue
            if not q:
                hits.append(SearchHit(e.kind, e.code, e.name, "", int(Score.NONE)))
                continue
            score, matched = _code_score(q, e.code), e.code
            for t in e.terms:
                s = t.score(q, latin)
                if s > score:
                    score, matched = s, t.text
            if score:
                hits.append(SearchHit(e.kind, e.code, e.name, matched, score))
        hits.sort(key=lambda h: -h.score)  # stable: entries are already in code order
        return hits if limit is None else hits[:limit]


def _code_score(q: str, code: str) -> int:
    code = code.lower()
    if q == code:
        return int(Score.CODE)
    return int(Score.CODE_PREFIX) if len(q) > 1 and code.startswith(q) else 0
