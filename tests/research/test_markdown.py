"""Sanitising: Markdown renders, attacks never reach the page, and input refuses them."""

import pytest
from django.core.exceptions import ValidationError

from research.markdown import render_markdown
from research.markdown import validate_safe_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](java\tscript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<object data=javascript:alert(1)></object>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "![x](javascript:alert(1))",
    '<details open ontoggle="alert(1)">',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendering_strips_every_payload(payload):
    html = render_markdown(f"Hello\n\n{payload}\n\n**bold**").lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onload" not in html and "ontoggle" not in html
    assert "<iframe" not in html and "<object" not in html and "<style" not in html
    assert "data:text/html" not in html
    assert "<p>hello</p>" in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_input_validation_refuses_every_payload(payload):
    with pytest.raises(ValidationError) as error:
        validate_safe_markdown(f"Notes\n\n{payload}")
    assert "javascript:" in error.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Plain **Markdown** with a [link](https://example.com) and `code`.",
        "Customers said: the onboarding took too long.",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "We use Java; scripts run nightly.",
    ],
)
def test_ordinary_markdown_is_accepted_and_rendered(text):
    validate_safe_markdown(text)
    assert render_markdown(text)


def test_links_keep_safe_schemes_and_get_rel():
    html = render_markdown("[docs](https://example.com/docs)")
    assert 'href="https://example.com/docs"' in html
    assert "noopener" in html
