"""Materials to bring (材料清单) for one item or a bundle, and which are still missing.

Split from ``forms`` to keep each module short; ``forms`` re-exports both functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from station_app.domain.catalogue import Material, MaterialForm
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.normalize import clean_text, plain_value

AGENT_SOURCE = "代办"  # the "item code" given to the agent materials by materials_for
_PAPER = frozenset({MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.ORIGINAL_AND_COPY})


def _merge(a: Material, b: Material) -> Material:
    """One entry for a material two items ask for: the stricter of both."""
    form = a.form
    if a.form != b.form and {a.form, b.form} <= _PAPER:
        form = MaterialForm.ORIGINAL_AND_COPY  # one asks for the original, one for a copy
    return a.model_copy(update={"required": a.required or b.required, "form": form,
                                "copies": max(a.copies, b.copies), "note": a.note or b.note})


ValuesOf = Callable[[str], Mapping[str, object]]


def materials_for(catalogue: Catalogue, codes: Iterable[str], by_agent: bool,
                  values_of: ValuesOf | None = None) -> list[tuple[str, Material]]:
    """Materials to bring, in item order; one named by several items is listed once.

    A repeated material keeps the first item's code; it is required if any item requires it,
    with the larger number of copies. With `values_of` (item code -> that item's form values),
    a material with a condition is listed only when its condition holds.
    """
    listed: dict[str, tuple[str, Material]] = {}
    sources: list[tuple[str, Iterable[Material]]] = []
    for c in codes:
        mats = catalogue.item(c).materials
        if values_of is not None:
            local = values_of(c)
            mats = tuple(m for m in mats
                         if m.when is None or m.when.holds(plain_value(local.get(m.when.field))))
        sources.append((c, mats))
    if by_agent:
        sources.append((AGENT_SOURCE, catalogue.header.agent.materials))
    for code, materials in sources:
        for m in materials:
            first = listed.get(m.name)
            listed[m.name] = (first[0], _merge(first[1], m)) if first else (code, m)
    return list(listed.values())


def missing_materials(materials: Iterable[Material | tuple[str, Material]],
                      ticked_names: Iterable[str]) -> list[Material]:
    """Required materials not ticked as received: what the 一次性告知单 must list."""
    ticked = {clean_text(n) for n in ticked_names}
    out: list[Material] = []
    for entry in materials:
        m = entry[1] if isinstance(entry, tuple) else entry
        if m.required and m.name not in ticked:
            out.append(m)
    return out
