"""`bot migrate` moves a library from the embedded store to a real Chroma server and back, without the
article files (deleted first) and without embedding again; search answers the same on every copy."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import numpy as np

from bot.retrieve import search
from bot.settings import load_settings
from bot.store import Store
from tests.conftest import BUDGET, SEED
from tests.test_reliability import BOT, env_for, whole


def snapshot(store: Store) -> dict[str, object]:
    chunks = store.chunks.get(include=["documents", "metadatas", "embeddings"])
    order = np.argsort(chunks["ids"])
    return {
        "sources": sorted((s.source_id, s.title, s.content_hash, s.chunks) for s in store.list_sources()),
        "chunks": [(chunks["ids"][i], chunks["documents"][i]) for i in order],  # type: ignore[index]
        "vectors": np.asarray(chunks["embeddings"], dtype=np.float32)[order],
        "statements": [(x.statement_id, x.speaker, x.start, x.end) for x in store.statements()],
        "texts": {s.source_id: store.article_text(s.source_id) for s in store.list_sources()},
    }


def same(a: dict[str, object], b: dict[str, object]) -> None:
    assert a["sources"] == b["sources"] and a["chunks"] == b["chunks"] and a["statements"] == b["statements"]
    assert a["texts"] == b["texts"]
    assert np.allclose(a["vectors"], b["vectors"])  # type: ignore[arg-type]


def test_migrate_to_a_chroma_server_and_back(chroma_server: str, tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEED, files)
    (files / "budget.txt").write_text(BUDGET, encoding="utf-8")
    index, back = tmp_path / "index", tmp_path / "back"
    collection = f"mig{uuid.uuid4().hex[:8]}"  # the server outlives this test: a collection of its own
    env = {**env_for(index), "BOT_COLLECTION": collection}
    subprocess.run([BOT, "ingest", str(files)], env=env, check=True, capture_output=True)
    shutil.rmtree(files)  # the copy must come from the store alone
    out = subprocess.run([BOT, "migrate", "--to", chroma_server], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "articles copied" in out.stdout and f"BOT_CHROMA_URL={chroma_server}" in out.stdout
    again = subprocess.run([BOT, "migrate", "--to", chroma_server], env=env, capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.startswith("0 articles copied"), again.stdout + again.stderr
    server_env = {**env, "BOT_CHROMA_URL": chroma_server}
    back_out = subprocess.run([BOT, "migrate", "--to", str(back)], env=server_env, capture_output=True, text=True)
    assert back_out.returncode == 0, back_out.stderr
    listed = json.loads(subprocess.run([BOT, "sources", "--json"], env=server_env, capture_output=True, text=True,
                                       check=True).stdout)["sources"]
    original = Store(load_settings(index_dir=index, collection=collection))
    on_server = Store(load_settings(chroma_url=chroma_server, collection=collection))
    returned = Store(load_settings(index_dir=back, collection=collection))
    assert len(listed) == len(original.list_sources()) == 2
    first = snapshot(original)
    same(first, snapshot(on_server))
    same(first, snapshot(returned))
    whole(returned, len(original.list_sources()))
    question = "What did Ryabkov say about embassies?"
    ranked = [[p.chunk.chunk_id for p in search(s, question, 5)] for s in (original, on_server, returned)]
    assert ranked[0] and ranked[0] == ranked[1] == ranked[2]


def test_migrate_onto_itself_is_refused(tmp_path: Path) -> None:
    env = env_for(tmp_path / "index")
    out = subprocess.run([BOT, "migrate", "--to", str(tmp_path / "index")], env=env, capture_output=True, text=True)
    assert out.returncode == 1 and "already at" in out.stderr and "Traceback" not in out.stderr
