import pytest

from podium.core.sanitize import clean_html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<p onclick="steal()">Welkom <strong>allemaal</strong>'
            "<script>alert(1)</script></p>",
            "<p>Welkom <strong>allemaal</strong></p>",
        ),
        (
            "<ul><li><em>een</em></li></ul><blockquote>citaat</blockquote><br>",
            "<ul><li><em>een</em></li></ul><blockquote>citaat</blockquote><br>",
        ),
        (
            '<a href="https://example.org" target="_blank">site</a>',
            '<a href="https://example.org" rel="noopener noreferrer">site</a>',
        ),
        (
            '<a href="javascript:alert(1)">klik</a>',
            '<a rel="noopener noreferrer">klik</a>',
        ),
        ("<img src=x onerror=alert(1)>", ""),
        ('<iframe src="https://example.org"></iframe>ok', "ok"),
        ("<style>p{}</style>tekst", "tekst"),
        ("<h1>Titel</h1><h3>Kop</h3>", "Titel<h3>Kop</h3>"),
        ("  <p>x</p>  ", "<p>x</p>"),
        (None, ""),
    ],
    ids=[
        "script-and-handler-removed",
        "allowed-tags-kept",
        "safe-link-gets-rel",
        "javascript-url-dropped",
        "img-removed",
        "iframe-removed",
        "style-removed",
        "h1-unwrapped",
        "stripped",
        "none",
    ],
)
def test_clean_html_keeps_only_the_safe_subset(html, expected):
    assert clean_html(html) == expected
