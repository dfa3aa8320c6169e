"""Models on disk, next to the database: ``annotations.json.model/``.

Each training writes a new numbered version folder (``v7/``: ``manifest.json`` and one
CRFsuite file per layer), fsyncs it, then points ``current`` at it with an atomic
``os.replace``; readers follow ``current``, so a reader never sees half a model, and a crash
while training leaves the previous model in use. The last two versions are kept.

``load`` never raises for a damaged or outdated model: it returns a ``Loaded`` whose
``problem`` says what is wrong ("broken: ...", "stale: ..."), and the caller trains anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.learn.model import LayerModel, Settings, SpanModel

# Bump when the features, the layers or the file layout change: older models are then stale.
# 2: fewer features (no engine names on rule votes, no "no vote" mark, no shapes two away)
FORMAT_VERSION = 2
KEEP = 2
CURRENT = "current"
MANIFEST = "manifest.json"


def model_dir(db_path: str | Path) -> Path:
    db_path = Path(db_path).expanduser().absolute()
    return db_path.with_name(db_path.name + ".model")


@dataclass
class Info:
    """What a saved model was trained on and how good it was on held-back articles."""

    version: int = 0
    created: str = ""
    labels: list[str] = field(default_factory=list)
    documents: int = 0  # articles trained on
    fingerprint: str = ""  # of the training data: the same data need no new model
    seconds: float = 0.0  # training time
    # {"documents": n, "model": {label: [p, r, f1]}, "rules": {...}, "shipped": {...}}
    heldout: dict[str, Any] = field(default_factory=dict)
    trained_ids: list[str] = field(default_factory=list)  # the documents it learnt from
    # labels the rules serve: the model was worse on them on the held-back articles
    # (annotator.learn.gate); absent in a model saved before the gate: the model serves all
    rules_for: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created,
            "labels": self.labels,
            "documents": self.documents,
            "fingerprint": self.fingerprint,
            "seconds": self.seconds,
            "heldout": self.heldout,
            "trained_ids": self.trained_ids,
            "rules_for": self.rules_for,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Info:
        return cls(
            version=int(data.get("version", 0)),
            created=str(data.get("created", "")),
            labels=[str(x) for x in data.get("labels", [])],
            documents=int(data.get("documents", 0)),
            fingerprint=str(data.get("fingerprint", "")),
            seconds=float(data.get("seconds", 0.0)),
            heldout=dict(data.get("heldout") or {}),
            trained_ids=[str(x) for x in data.get("trained_ids", [])],
            rules_for=[str(x) for x in data.get("rules_for") or []],
        )


@dataclass
class Loaded:
    model: SpanModel | None
    info: Info | None
    problem: str = ""  # why there is no usable model ("", "none", "broken: ...", "stale: ...")
    folder: Path | None = None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write(path: Path, data: bytes) -> None:
    with path.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _versions(root: Path) -> list[int]:
    out = []
    for child in root.glob("v*"):
        if child.is_dir() and child.name[1:].isdigit():
            out.append(int(child.name[1:]))
    return sorted(out)


def save(db_path: str | Path, model: SpanModel, info: Info) -> Info:
    """Write ``model`` as the next version and make it current; returns the info written."""
    root = model_dir(db_path)
    root.mkdir(exist_ok=True)
    versions = _versions(root)
    info.version = (versions[-1] if versions else 0) + 1
    info.created = info.created or datetime.now(UTC).isoformat(timespec="seconds")
    info.labels = model.labels
    name = f"v{info.version}"
    staging = root / f".{name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    layers = []
    for n, layer in enumerate(model.layers):
        file = f"layer{n}.crfsuite"
        _write(staging / file, layer.data)
        layers.append({"labels": layer.labels, "file": file, "sha256": _digest(layer.data)})
    manifest = {
        "format": FORMAT_VERSION,
        "settings": vars(model.settings),
        "layers": layers,
        **info.to_json(),
    }
    _write(staging / MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
    _fsync_dir(staging)
    os.replace(staging, root / name)
    pointer = root / f".{CURRENT}.tmp-{os.getpid()}"
    _write(pointer, name.encode("ascii"))
    os.replace(pointer, root / CURRENT)
    _fsync_dir(root)
    for old in _versions(root)[:-KEEP]:
        shutil.rmtree(root / f"v{old}", ignore_errors=True)
    return info


def current_folder(db_path: str | Path) -> Path | None:
    """The folder ``current`` points at (None: no model yet or no readable pointer)."""
    root = model_dir(db_path)
    try:
        name = (root / CURRENT).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not (name.startswith("v") and name[1:].isdigit()):
        return None
    return root / name


def stamp(db_path: str | Path) -> tuple[str, float] | None:
    """A cheap token that changes when a new model becomes current (for caches)."""
    root = model_dir(db_path)
    try:
        st = (root / CURRENT).stat()
        return ((root / CURRENT).read_text(encoding="ascii").strip(), st.st_mtime)
    except (OSError, UnicodeDecodeError):
        return None


def load(db_path: str | Path, labels: list[str] | None = None) -> Loaded:
    """The current model, or why there is none; never raises for a bad model folder.

    ``labels``: the labels the project has now; a model that knows none of them is stale.
    """
    root = model_dir(db_path)
    if not root.exists():
        return Loaded(None, None, "none")
    folder = current_folder(db_path)
    if folder is None:
        return Loaded(None, None, "broken: no readable 'current' pointer", None)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("the manifest is not an object")
        if manifest.get("format") != FORMAT_VERSION:
            return Loaded(
                None,
                Info.from_json(manifest),
                f"stale: model format {manifest.get('format')}, this annotator writes "
                f"{FORMAT_VERSION}",
                folder,
            )
        info = Info.from_json(manifest)
        settings = Settings(**manifest.get("settings", {}))
        layers = []
        for entry in manifest["layers"]:
            data = (folder / entry["file"]).read_bytes()
            if _digest(data) != entry["sha256"]:
                raise ValueError(f"{entry['file']} is damaged (checksum)")
            layer = LayerModel([str(x) for x in entry["labels"]], data)
            _ = layer.tagger  # opens it: a file CRFsuite refuses fails here
            layers.append(layer)
        if not layers:
            raise ValueError("no layers")
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        return Loaded(None, None, f"broken: {error}", folder)
    if labels is not None and not set(info.labels) & set(labels):
        return Loaded(None, info, "stale: trained for other labels", folder)
    return Loaded(SpanModel(layers, settings), info, "", folder)
