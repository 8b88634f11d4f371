"""Parse and extract: word-bounded chunks; the same extractions in this process, in local
worker processes and on a real Dask cluster; extractions cross process boundaries as plain
dataclasses."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import comparable_quads, invented_corpus
from graphbuild.model import Document
from graphbuild.parse import ParseError, ParseSettings, chunks, extractions, extractor_fingerprint, loaded_pipeline

ROOT = Path(__file__).resolve().parent.parent

ARTICLES = [
    "Ruritania accused Borduria of shelling the border town of Klopstock. \u201CWe will defend every village,\u201D "
    "said President Anna Weiss of Ruritania.",
    "Borduria denied that its forces attacked Ruritania. Foreign Minister Karl Brandt said talks would resume.",
    "Syldavia and Freedonia agreed to hold talks in Klopstock. Weiss welcomed the agreement.",
]


def documents() -> list[Document]:
    return [Document(f"article-{n}.txt", text, content_hash=str(n)) for n, text in enumerate(ARTICLES)]


def settings() -> ParseSettings:
    return ParseSettings(extractor_fingerprint(None, None), batch_size=2)


def test_chunks_keep_order_and_bound_documents_and_words():
    docs = [Document(f"d{n}", "word " * size) for n, size in enumerate([10, 10, 10, 50, 10, 200, 10])]
    batches = list(chunks(docs, batch_size=3, batch_words=60))
    assert [d.id for batch in batches for d in batch] == [d.id for d in docs]
    assert [[d.id for d in batch] for batch in batches] == [["d0", "d1", "d2"], ["d3", "d4"], ["d5"], ["d6"]]


def test_extractions_cross_processes_as_plain_dataclasses():
    found = list(extractions(documents(), settings()))
    data = pickle.dumps(found)
    assert b"spacy" not in data and b"thinc" not in data  # no Doc, Span or Token travels
    assert pickle.loads(data) == found and any(e.actors and e.statements for e in found)


def test_local_worker_processes_give_the_extractions_of_one_process():
    here = list(extractions(documents(), settings()))
    assert list(extractions(documents(), settings(), processes=2)) == here


def test_a_worker_with_other_code_or_data_refuses_to_work():
    with pytest.raises(ParseError, match="another version"):
        loaded_pipeline(ParseSettings("not the build's fingerprint"))


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def dask_cluster(tmp_path):
    """A real Dask scheduler and two single-threaded workers (separate processes) on
    127.0.0.1; yields the scheduler's address."""
    import json

    dask = str(Path(sys.executable).with_name("dask"))
    scheduler_file = tmp_path / "scheduler.json"
    processes = [_start([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(scheduler_file)])]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for _ in range(2):
            processes.append(_start([dask, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                     "--nworkers", "1", "--host", "127.0.0.1", "--no-dashboard"]))
        address = json.loads(scheduler_file.read_text())["address"]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


@pytest.mark.server
def test_a_build_on_a_dask_cluster_gives_the_graph_of_a_local_build(tmp_path, dask_cluster):
    corpus = invented_corpus(tmp_path / "wire.jsonl", 40)
    inputs = [str(corpus), str(ROOT / "seeds")]

    def build(folder: str, *extra: str) -> str:
        result = subprocess.run([sys.executable, "-m", "graphbuild.cli", "build", *inputs, "-o", str(tmp_path / folder),
                                 "--no-view", *extra], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "built 43" in build("local")
    assert "built 43" in build("dask", "--dask", dask_cluster)
    assert comparable_quads(tmp_path / "dask") == comparable_quads(tmp_path / "local")
