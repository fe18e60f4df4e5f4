"""Reading a Common Transfer File's XML safely, a chunk at a time (issue 15 item 2).

defusedxml refuses a document type declaration, entity declarations and external references
before anything is expanded. The tree builder hands over the Header and then each Pupil as
its element closes, and lets the pupil go from the tree, so memory follows one pupil, not
the file. Every element keeps the line it started on, for `line N: reason` errors.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, BinaryIO

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from schools.imports.common import READ_CHUNK_BYTES, ImportRefused, RowError

NOT_XML = "the file is not well-formed XML ({detail})"
UNSAFE_XML = "the file contains {detail}, which a CTF never needs; refused for safety"
UNSAFE_KINDS = {
    DTDForbidden: "a document type declaration (DTD)",
    EntitiesForbidden: "an entity declaration",
    ExternalReferenceForbidden: "a reference to an external resource",
}
NOT_CTF = "the root element is {tag!r}; a Common Transfer File has 'CTfile'"


class CtfElement(ET.Element):
    """An element that remembers the line it started on."""

    line: int = 0


class _LineTreeBuilder(ET.TreeBuilder):
    """Builds the tree, handing over the header and each pupil as its element closes."""

    def __init__(self) -> None:
        super().__init__(element_factory=CtfElement)
        self.parser: Any = None
        self.open: list[CtfElement] = []  # the elements not yet closed, root first
        self.root: CtfElement | None = None
        self.done: list[CtfElement] = []  # Header and CTFpupilData/Pupil, closed, not yet read

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag.rpartition("}")[2], attrs)  # namespaces do not matter
        element.line = self.parser.parser.CurrentLineNumber  # type: ignore[attr-defined]
        if self.root is None:
            self.root = element  # type: ignore[assignment]
        self.open.append(element)  # type: ignore[arg-type]
        return element

    def end(self, tag: str) -> ET.Element:
        element = super().end(tag)
        self.open.pop()
        if len(self.open) == 1 and element.tag == "Header":
            self.done.append(element)  # type: ignore[arg-type]
        elif len(self.open) == 2 and element.tag == "Pupil" and self.open[1].tag == "CTFpupilData":
            self.open[1].remove(element)  # read once, then let go
            self.done.append(element)  # type: ignore[arg-type]
        return element

    def drain(self) -> list[CtfElement]:
        if self.root is not None and self.root.tag != "CTfile":
            tag = self.root.tag
            raise ImportRefused([RowError(self.root.line, NOT_CTF.format(tag=tag))])
        done, self.done = self.done, []
        return done


def parse_xml(source: BinaryIO) -> Iterator[CtfElement]:
    """The CTF's Header and then each Pupil element, as the file is read."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        while chunk := source.read(READ_CHUNK_BYTES):
            parser.feed(chunk)
            yield from builder.drain()
        parser.close()
        yield from builder.drain()
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber  # type: ignore[attr-defined]
        detail = UNSAFE_KINDS.get(type(exc), type(exc).__name__)
        raise ImportRefused([RowError(line, UNSAFE_XML.format(detail=detail))]) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise ImportRefused([RowError(line, NOT_XML.format(detail=exc))]) from None
