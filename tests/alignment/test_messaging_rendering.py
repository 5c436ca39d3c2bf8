import pytest

from alignment.rendering import render_markdown


@pytest.mark.parametrize(
    "source,forbidden",
    [
        ("Hi <script>alert(1)</script>", ["<script", "alert(1)"]),
        ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"]),
        ('<a href="#" onclick="steal()">x</a>', ["onclick", "steal"]),
        ("[click](javascript:alert(1))", ["javascript:", "alert"]),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', ["javascript", "alert"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe"]),
        ('<p style="background:url(javascript:x)">a</p>', ["javascript", "style="]),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", ["data:"]),
    ],
)
def test_dangerous_markup_is_removed(source, forbidden):
    html = render_markdown(source).lower()
    for piece in forbidden:
        assert piece.lower() not in html, (source, html)


def test_markdown_features_survive():
    html = render_markdown(
        "# Title\n\n**bold** and [a link](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer"' in html
    assert "<table>" in html


def test_empty_body_renders_empty():
    assert render_markdown("") == ""
