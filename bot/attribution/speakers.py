"""One person under many spellings: speakers grouped by the name matcher retrieval uses.

Two names are the same speaker when their surnames spell the same name (Ryabkov, Riabkov, Rjabkow, Рябков:
`bot.spelling.same_name`) and their first names, when both have one, agree the same way or by initial.
Names without a surname-like word (an organisation, "officials") must match whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.spelling import fold, same_name, skeleton

NOT_NAMES = frozenset("the a an of for and".split())


def _words(name: str) -> list[str]:
    return [w for w in fold(name).replace(".", " ").replace("’", "'").split() if w not in NOT_NAMES]


def same_speaker(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if not same_name(skeleton(wa[-1]), skeleton(wb[-1])):
        return False
    if len(wa) > 1 and len(wb) > 1:
        fa, fb = wa[0], wb[0]
        return fa[0] == fb[0] and (len(fa) <= 2 or len(fb) <= 2 or same_name(skeleton(fa), skeleton(fb)))
    return True


@dataclass
class Group:
    """A speaker: the fullest spelling, every spelling seen, and how often each was used."""

    name: str
    spellings: dict[str, int] = field(default_factory=dict)

    def add(self, spelling: str) -> None:
        self.spellings[spelling] = self.spellings.get(spelling, 0) + 1
        if len(_words(spelling)) > len(_words(self.name)):
            self.name = spelling


def group(names: Iterable[str]) -> list[Group]:
    """Names grouped into speakers, in order of first appearance."""
    groups: list[Group] = []
    for name in names:
        for g in groups:
            if any(same_speaker(name, s) for s in g.spellings):
                g.add(name)
                break
        else:
            groups.append(Group(name, {name: 1}))
    return groups
