"""Ingest: article files of every kind become Documents; bad input is reported by file."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graphbuild.ingest import InputError, read_documents


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_text_article_headers_become_metadata_and_furniture_is_dropped(tmp_path):
    article = write(tmp_path / "a.txt", (
        "# title: Talks resume in Geneva\n# publisher: Example Wire\n# published: 2023-05-04\n"
        "# source: https://example.org/talks\n\n"
        "Skip to content\nTalks resume in Geneva – Example Wire\n\n"
        "Negotiators met on Thursday.\n\nJane Roe and John Doe contributed reporting.\n"))
    [document] = read_documents([article])
    assert document.title == "Talks resume in Geneva"
    assert document.publisher == "Example Wire"
    assert document.published == date(2023, 5, 4)
    assert document.source == "https://example.org/talks"
    assert document.text == "Negotiators met on Thursday."
    assert len(document.content_hash) == 64


def test_changing_metadata_changes_the_content_hash(tmp_path):
    first = read_documents([write(tmp_path / "a.txt", "# title: One\n\nSame text.")])[0]
    second = read_documents([write(tmp_path / "a.txt", "# title: Two\n\nSame text.")])[0]
    assert first.content_hash != second.content_hash


def test_jsonl_corpus_yields_one_document_per_line(tmp_path):
    corpus = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r) for r in [
        {"id": "one", "text": "Chad and Niger signed a treaty.", "published": "2020-01-02", "publisher": "P"},
        {"id": "two", "text": "Mali expelled a diplomat.", "title": "Expulsion"},
    ]) + "\n")
    documents = read_documents([corpus])
    assert [d.id for d in documents] == ["one", "two"]
    assert documents[0].published == date(2020, 1, 2) and documents[1].title == "Expulsion"


@pytest.mark.parametrize("line, problem", [
    ("{not json", "invalid JSON"),
    ('{"id": "x"}', "missing or empty 'text'"),
    ('{"id": "x", "text": "   "}', "missing or empty 'text'"),
    ('["a list"]', "expected a JSON object"),
    ('{"id": "x", "text": "t", "published": "yesterday"}', "not an ISO date"),
])
def test_bad_jsonl_line_names_file_line_and_problem(tmp_path, line, problem):
    corpus = write(tmp_path / "bad.jsonl", '{"id": "ok", "text": "Fine."}\n' + line + "\n")
    with pytest.raises(InputError) as error:
        read_documents([corpus])
    assert f"{corpus}:2" in str(error.value) and problem in str(error.value)


def test_html_page_main_text_is_extracted_without_navigation(tmp_path):
    paragraphs = "".join(f"<p>Paragraph {i} says that the two governments agreed to keep talking about "
                         f"trade, borders and the return of refugees in the months to come.</p>" for i in range(6))
    page = write(tmp_path / "page.html", (
        "<html><head><title>Border deal reached</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> Skip to content</nav>"
        f"<article><h1>Border deal reached</h1>{paragraphs}</article>"
        "<footer>Copyright Example News. All rights reserved.</footer></body></html>"))
    [document] = read_documents([page])
    assert "Paragraph 0 says" in document.text and "Paragraph 5 says" in document.text
    assert "Home" not in document.text and "All rights reserved" not in document.text
    assert document.title == "Border deal reached"


def test_folder_is_read_recursively_in_name_order_skipping_gold_files(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "b.txt", "Second.")
    write(tmp_path / "sub" / "a.txt", "First.")
    write(tmp_path / "b.gold.json", "{}")
    assert [d.id for d in read_documents([tmp_path])] == ["b.txt", "a.txt"]


@pytest.mark.parametrize("content, problem", [
    ("", "has no text"),
    ("# title: Only a header\n\n", "has no text"),
])
def test_empty_article_is_an_error(tmp_path, content, problem):
    with pytest.raises(InputError, match=problem):
        read_documents([write(tmp_path / "empty.txt", content)])


def test_unreadable_inputs_are_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_documents([tmp_path / "missing.txt"])
    latin = write(tmp_path / "latin.txt", "Caf\u00e9 talks", encoding="latin-1")
    with pytest.raises(InputError, match=r"latin\.txt: not valid UTF-8"):
        read_documents([latin])


def test_duplicate_document_ids_are_an_error(tmp_path):
    write(tmp_path / "x.jsonl", '{"id": "same", "text": "One."}\n{"id": "same", "text": "Two."}\n')
    with pytest.raises(InputError, match="already used"):
        read_documents([tmp_path / "x.jsonl"])


def test_a_short_source_badge_after_the_last_sentence_is_dropped(tmp_path):
    article = write(tmp_path / "a.txt", "Ministers met in Oslo on Monday.\n\nnewswire Xy\n")
    assert read_documents([article])[0].text == "Ministers met in Oslo on Monday."


# --- every field checked at read time (issue 11, failures 4 and 5) ---------------------

@pytest.mark.parametrize("field, value, problem", [
    ("published", 2020, "'published' must be a string, not a number"),
    ("title", 1, "'title' must be a string, not a number"),
    ("source", ["https://a.example"], "'source' must be a string, not an array"),
    ("publisher", {"name": "P"}, "'publisher' must be a string, not an object"),
    ("license", True, "'license' must be a string, not a boolean"),
    ("title", "Talks \ud800 resume", "'title' holds a lone surrogate (U+D800) at offset 6"),
    ("text", "Talks \udfff resume.", "'text' holds a lone surrogate (U+DFFF) at offset 6"),
    ("id", "a\ud83d", "'id' holds a lone surrogate (U+D83D) at offset 1"),
    ("source", "http://[::1/page", "source 'http://[::1/page' is not a valid URL"),
    ("source", "https://example.org:99999/a", "source 'https://example.org:99999/a' is not a valid URL"),
])
def test_a_bad_field_names_file_line_field_and_problem(tmp_path, field, value, problem):
    record = {"id": "b", "text": "Ministers met in Oslo.", field: value}
    corpus = write(tmp_path / "c.jsonl", '{"id": "a", "text": "Fine."}\n' + json.dumps(record) + "\n")
    with pytest.raises(InputError) as error:
        read_documents([corpus])
    assert str(error.value).startswith(f"{corpus}:2: ") and problem in str(error.value)


def test_null_metadata_is_missing_metadata_and_a_citation_is_a_fine_source(tmp_path):
    record = {"id": "a", "text": "Ministers met in Oslo.", "title": None, "source": "POLITICO, 17 February 2022"}
    [document] = read_documents([write(tmp_path / "c.jsonl", json.dumps(record) + "\n")])
    assert document.title is None and document.source == "POLITICO, 17 February 2022"


def test_a_text_longer_than_the_model_reads_is_refused_before_parsing(tmp_path):
    from graphbuild.ingest import MAX_TEXT_CHARACTERS

    paragraph = "Ministers met in Oslo on Monday to discuss the border.\n\n"
    article = write(tmp_path / "long.txt", paragraph * (MAX_TEXT_CHARACTERS // len(paragraph) + 1))
    with pytest.raises(InputError, match=r"long\.txt: the article has 1,000,\d{3} characters, more than the "
                                         r"1,000,000 the language model reads in one text"):
        read_documents([article])
    write(tmp_path / "long.txt", paragraph * (MAX_TEXT_CHARACTERS // len(paragraph) - 1))
    assert len(read_documents([article])[0].text) < MAX_TEXT_CHARACTERS
