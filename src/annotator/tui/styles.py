"""Rich styles for the article reader: one visual attribute per label kind (DESIGN.md section 7).

Labels differ by attribute, not colour alone, so nested spans show all at once:
``background`` = a tint of the label colour behind the text (CLAIM), ``bold`` = bold coloured text
(ACTOR), ``underline`` = underlined coloured text (LOCATION), ``italic`` = italic coloured text
(imported labels).  A label's ``style`` may combine words ("bold underline").  Suggested spans
(origin "suggested") are drawn fainter and italic so they never look accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from textual.color import Color

from annotator.model import Label

FALLBACK_COLOR = "magenta"

TITLE = Style(bold=True)
DATE = Style(dim=True)
BOILERPLATE = Style(dim=True, italic=True)
VIRTUAL = Style(bold=True)
SELECTION = Style(reverse=True)
HINT = Style(bold=True, color="black", bgcolor="magenta", reverse=False)


def parse_color(name: str) -> Color:
    try:
        return Color.parse(name)
    except Exception:
        return Color.parse(FALLBACK_COLOR)


@dataclass(eq=False)
class Palette:
    """Styles computed for one label schema against one widget background."""

    background: Color
    foreground: Color
    labels: dict[str, Label]
    _cache: dict[tuple[str, str], Style] = field(default_factory=dict)

    def tint(self, color: str, amount: float) -> Color:
        return self.background.blend(parse_color(color), amount)

    def label(self, name: str, *, suggested: bool = False, focused: bool = False) -> Style:
        """The style of a span labelled ``name``; ``focused`` for the span under the cursor."""
        variant = "s" if suggested else "f" if focused else "a"
        key = (name, variant)
        style = self._cache.get(key)
        if style is None:
            style = self._make(name, suggested=suggested, focused=focused)
            self._cache[key] = style
        return style

    def _make(self, name: str, *, suggested: bool, focused: bool) -> Style:
        label = self.labels.get(name)
        color_name = label.color if label else FALLBACK_COLOR
        kinds = set((label.style if label else "italic").split())
        base = parse_color(color_name)
        # Suggested: the colour faded towards the background, plus italic.
        fg = self.background.blend(base, 0.6) if suggested else base
        style = Style()
        if "background" in kinds:
            amount = 0.18 if suggested else 0.55 if focused else 0.35
            style += Style(bgcolor=self.tint(color_name, amount).rich_color)
        if "bold" in kinds:
            style += Style(bold=not suggested, color=fg.rich_color)
        if "underline" in kinds:
            style += Style(underline=True, color=fg.rich_color)
        if "italic" in kinds or not kinds & {"background", "bold", "underline"}:
            style += Style(italic=True, color=fg.rich_color)
        if suggested:
            style += Style(italic=True)
        if focused and "background" not in kinds:
            style += Style(bgcolor=self.tint(color_name, 0.22).rich_color)
        return style

    @property
    def cursor(self) -> Style:
        """One cell, distinct from the selection (reverse) and from every label style."""
        return Style(
            bold=True,
            reverse=False,
            color=Color(0, 0, 0).rich_color,
            bgcolor=Color.parse("#ffb000").rich_color,
        )

    @property
    def match(self) -> Style:
        return Style(bgcolor=self.tint("#e07000", 0.45).rich_color)

    @property
    def current_match(self) -> Style:
        return Style(bgcolor=Color.parse("#ff8c00").rich_color, color="black", bold=True)


def make_palette(labels: list[Label], background: Color, foreground: Color) -> Palette:
    if background.a == 0:
        background = Color(0, 0, 0)
    return Palette(background.with_alpha(1.0), foreground, {label.name: label for label in labels})
