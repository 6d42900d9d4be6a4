"""Statistics: numbers with units and what they count."""

from __future__ import annotations

from typing import Any

import re
from decimal import Decimal

from . import confidence as C
from ..gazetteer import ACTOR_CLASSES
from .lexicon import APPROXIMATORS, LEX, MONTHS, MULTIPLIERS, NUMBER_WORDS, PEOPLE_NOUNS, SCALES, UNIT_WORDS, YEAR_MAX, YEAR_MIN
from .model import Entity
from .tokens import _num

#: The units a statistic takes from its unit word (what unit_words maps to)
UNITS = frozenset(UNIT_WORDS.values())


class StatisticRules:
    """Statistics rules, mixed into :class:`Sentence`."""

    def statistics(self) -> None:
        toks, si, sj = self.toks, self.si, self.sj
        lows = self.lowers
        if self.is_line and any(w in LEX.citation_markers for w in lows):
            return
        k = si
        while k < sj:
            t = toks[k]
            if not (t.like_num or t.lower_ in MULTIPLIERS or t.lower_ == "half" or t.lower_.endswith("fold")):
                k += 1
                continue
            found = self._number(k)
            if found is None:
                k += 1
                continue
            value, unit, i, j, approx = found
            value_max = None
            upper = self._range_end(i, j)
            if upper is not None:   # "5,000 to 6,000 troops", "two to three years": one statistic
                value_max, unit2, _i2, j, _a2 = upper
                unit = unit2 or unit
            unit = unit or ("people" if self.low(j) in PEOPLE_NOUNS or self.low(j + 2) in PEOPLE_NOUNS
                            else "count")
            k = j
            measure, about = self._measure(i, j, unit)
            props: dict[str, Any] = {"value": _num(value)}
            if value_max is not None:
                props["valueMax"] = _num(value_max)
            props["unit"] = unit
            props["measure"] = measure
            if about:
                props["about"] = about
            d = self.date(i)
            if d:
                props["date"] = d
            conf = C.STATISTIC_UNIT if unit != "count" else C.STATISTIC_COUNT
            if approx:
                props["hedge"] = approx
            conf, note = self.qualify(props, i, conf)
            if approx and "hedge" in props and props["hedge"] != approx:
                props["hedge"] = approx + "; " + props["hedge"]
            label = f"{self.orig(i, j)} {measure}".strip()
            sid = self.ctx.new_id("stat")
            self.ctx.result.entities[sid] = Entity(sid, "Statistic", label[:120], False, "statistic", conf)
            self.emit("Statistic", sid, self.sentence_span(), props, f"statistic.{unit}", conf, note)

    def _range_end(self, i: int, j: int):
        """The upper bound of a range "N to M" / "N-M" / "between N and M" starting with the number
        at ``i..j``, as :meth:`_number` gives it, or None. "from N to M" is a change, not a range."""
        sep = self.low(j)
        if sep not in {"to", "-"} and not (sep == "and" and self.low(i - 1) == "between"):
            return None
        if self.low(i - 1) == "from" or j + 1 >= self.sj:
            return None
        if not (self.toks[j + 1].like_num or self.low(j + 1) in NUMBER_WORDS):
            return None
        upper = self._number(j + 1)
        if upper is None or self._is_date_number(j + 1):
            return None
        lower_value = self._number(i)[0]
        return upper if upper[0] > lower_value else None

    def _number(self, k: int):
        """A number expression at token ``k``: (value, unit, start, end, approximator) or None."""
        toks, sj = self.toks, self.sj
        t = toks[k]
        low = t.lower_
        text = t.text
        approx = ""
        if k - 1 >= self.si and self.low(k - 1) in APPROXIMATORS:
            approx = self.low(k - 1)
            if approx == "close":
                approx = "close to"
        elif k - 2 >= self.si and self.low(k - 2) == "close" and self.low(k - 1) == "to":
            approx = "close to"
        # multipliers: "twice the", "almost double the", "sevenfold", "ten times"
        if low in MULTIPLIERS or re.match(r"^[a-z]+fold$", low):
            if low in LEX.article_multipliers and self.low(k + 1) not in LEX.multiplier_objects:
                return None
            value = MULTIPLIERS.get(low)
            if value is None:
                value = NUMBER_WORDS.get(low[:-4])
            if value is None:
                return None
            return Decimal(value), "times", k, k + 1, approx
        if low == "half" and self.low(k + 1) == "a" and self.low(k + 2) in SCALES:
            return Decimal(SCALES[self.low(k + 2)]) / 2, self._unit_after(k + 3), k, k + 3, approx
        if not t.like_num or "/" in text or text.endswith("th") or text.endswith("st") or text.endswith("nd"):
            return None
        if text[0].isdigit():
            try:
                value = Decimal(text.replace(",", ""))
            except Exception:
                return None
            nxt, prv = (toks[k + 1] if k + 1 < sj else None), (toks[k - 1] if k > self.si else None)
            if nxt is not None and nxt.text == "-" and k + 2 < sj and toks[k + 2].text[:1].isdigit() and not t.whitespace_:
                return None
            if prv is not None and prv.text in {"-", "[", "/", "#", "No.", "no."} and not prv.whitespace_:
                return None
            if nxt is not None and nxt.text in {"]"}:
                return None
            if "," not in text and "." not in text and len(text) == 4 and YEAR_MIN <= int(value) <= YEAR_MAX:
                nxt_low = nxt.lower_ if nxt is not None else ""
                if nxt_low not in PEOPLE_NOUNS and nxt_low not in UNIT_WORDS:
                    return None
            if self._is_date_number(k):
                return None
            if prv is not None and prv.lower_ in LEX.reference_nouns:
                return None
        else:
            if low not in NUMBER_WORDS or low in LEX.non_count_numbers:
                return None
            value = Decimal(NUMBER_WORDS[low])
            if low == "one" and self.low(k + 1) not in LEX.one_units:
                return None
            if self.low(k - 1) in LEX.number_word_determiners and not approx:
                return None
            nxt_low = self.low(k + 1)
            if (nxt_low in LEX.number_word_followers or nxt_low in {"-", ","}) and not (nxt_low == "to" and self.low(k + 2) in NUMBER_WORDS):
                return None
        i, j = k, k + 1
        if k - 1 >= self.si and toks[k - 1].text in {"$", "US$", "USD"}:
            i = k - 1
            unit = "USD"
        else:
            unit = ""
        # scale words
        if j < sj and self.low(j) in SCALES:
            value *= SCALES[self.low(j)]
            j += 1
        if not unit:
            unit = self._unit_after(j)
            if unit in UNITS:
                if j < sj and self.low(j) == "-":
                    j += 1
                if j < sj and self.low(j) in {"per"} and self.low(j + 1) == "cent":
                    j += 2
                else:
                    j += 1
        if not unit and self.low(j) == "to" and (self.toks[j + 1].like_num if j + 1 < sj else False):
            unit = self._unit_after(j + 2)  # "two to three years": the first takes the second's unit
            if unit:
                return value, unit, i, j, approx
        if not unit:
            unit = self._inherited_unit(k) or ""
        if not unit:
            unit = "people" if self.low(j) in PEOPLE_NOUNS or self.low(j + 1) in PEOPLE_NOUNS else "count"
            if unit == "count" and not text[0].isdigit():
                # spelled-out numbers count something only with a plural noun right after
                nxt = self.low(j)
                if not nxt.endswith("s") or nxt in LEX.not_plural_s:
                    return None
        return value, unit, i, j, approx

    def _unit_after(self, j: int) -> str:
        low = self.low(j)
        if low == "-":
            low = self.low(j + 1)
        if low == "per" and self.low(j + 1) == "cent":
            return "percent"
        return UNIT_WORDS.get(low, "")

    def _inherited_unit(self, k: int) -> str:
        """'from 61.6 percent in late May to 63.7': the second number takes the first one's unit."""
        if self.low(k - 1) != "to":
            return ""
        for m in range(k - 2, max(self.si, k - 10), -1):
            if self.low(m) == "from":
                for n2 in range(m + 1, k - 1):
                    u = self._unit_after(n2 + 1) if self.toks[n2].like_num else ""
                    if u:
                        return u
                return ""
        return ""

    def _is_date_number(self, k: int) -> bool:
        prev, nxt = self.low(k - 1), self.low(k + 1)
        if prev in MONTHS and self.toks[k - 1].is_title and len(self.toks[k].text) <= 2:
            return True
        if nxt in MONTHS and self.toks[k + 1].is_title and len(self.toks[k].text) <= 2:
            return True
        if prev == "," and self.low(k - 2).isdigit() and self.low(k - 3) in MONTHS:
            return True
        return False

    def _measure(self, i: int, j: int, unit: str) -> tuple[str, list[str]]:
        """What the number counts: the words after it up to the clause end (or 'the number of X')."""
        toks, sj = self.toks, self.sj
        if j + 1 < sj and toks[j].text == "-" and not toks[j - 1].whitespace_:
            j += 1   # "a 5,400-troop deployment": the compound's noun, without its hyphen
        end = j
        while end < sj and toks[end].text not in {",", ";", ".", ":", "(", ")"} and end - j < 12 \
                and self.low(end) not in LEX.measure_ends:
            end += 1
        words = self.orig(j, end) if end > j else ""
        if not words or words.split()[0] in LEX.measure_empty_starts and unit in {"count", "people"}:
            for m in range(i - 1, max(self.si, i - 20), -1):
                if self.low(m) == "number" and self.low(m + 1) == "of":
                    e2 = m + 2
                    while e2 < sj and self.low(e2) not in LEX.number_of_ends and self.low(e2) not in {",", "from"} \
                            and e2 - m < 12:
                        e2 += 1
                    words = self.orig(m + 2, e2)
                    break
        if not words:
            ci, _ = self.clause_bounds(i)
            before = self.orig(max(ci, i - 8), i)
            words = f"{before} ({unit})" if before else {"percent": "share", "USD": "amount in U.S. dollars"}.get(unit, unit)
        about = []
        ci, cj = self.clause_bounds(i)
        for a, e in self.ents:
            if a.i >= ci and a.j <= cj and e.cls in ACTOR_CLASSES and e.id not in about and a.rule != "demonym":
                about.append(e.id)
        return words, about[:3]
