"""User text is shown as text: Markdown and HTML in a name, a link or a file never become a link,
an image, formatting or markup — in the pages (Streamlit renders Markdown nearly everywhere), in
the Plotly charts (which read a subset of HTML, ``<a href>`` included) and in the HTML report.

``markdown-it-py`` is not installed with this Streamlit, so the escaper is checked by the exact
strings, worked out by hand, and by properties that mirror the renderer's own rules (CommonMark's
backslash escape; the bare-link and shortcode patterns Streamlit's Markdown component looks for in
the parsed text); ``tests/test_browser_injection.py`` renders the payloads in Chromium.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from google.protobuf.message import Message
from hypothesis import given
from hypothesis import strategies as st

from dashboard.fields import factor_key
from presentation import charts
from presentation.formatting import plain
from reports import build_report
from scoring import evaluate, load_catalogue, parse_scenario
from tests.helpers import kpi_frame, new_session, with_link

JOIN = "\u2060"  # the word joiner that splits a bare link or a shortcode
LINK = "[Claim your refund](https://evil.test/phish)"
IMAGE = "![t](https://evil.test/track.png)"
CASH = "[Log in again](https://evil.test/a)"
KEY = "[x](https://evil.test)"
TAG = '<a href="https://evil.test/p">Claim</a>'
PICTURE = '<img src="https://evil.test/x.png">'


# --- the escaper --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        (LINK, rf"\[Claim your refund\](https\:{JOIN}\/\/evil.test\/phish)"),
        (IMAGE, rf"!\[t\](https\:{JOIN}\/\/evil.test\/track.png)"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        ("**b** *i* _u_ `c` ~~s~~ $x$ | {a}", r"\*\*b\*\* \*i\* \_u\_ \`c\` \~\~s\~\~ \$x\$ \| \{a\}"),
        (":red[x] :small[y]", r"\:red\[x\] \:small\[y\]"),
        (":smile: :+1: :streamlit:", rf"\:{JOIN}smile: \:{JOIN}+1: \:{JOIN}streamlit:"),
        (":material/home:", rf"\:{JOIN}material\/home:"),
        ("www.evil.test WWW.evil.test", f"www{JOIN}.evil.test WWW{JOIN}.evil.test"),
        ("mail a@evil.test", f"mail a@{JOIN}evil.test"),
        ("&lt;b&gt; &#60;", r"\&lt;b\&gt; \&#60;"),
        ("back\\slash", "back\\\\slash"),
        ("# Big", r"\# Big"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("1. item", r"1\. item"),
        ("3) item", r"3\) item"),
        ("---", r"\---"),
        ("a\n# b\r\n\n- c", "a # b - c"),  # one line: a heading or a list cannot start mid-text
        ("  padded  ", "padded"),
    ],
)
def test_every_mark_that_means_something_is_escaped(typed, escaped):
    assert plain(typed) == escaped


@pytest.mark.parametrize(
    "typed",
    [
        "Customer-service AI",
        "Founder's own plan",
        "Series B (2027)",
        "Funding round 1: Month",
        "extend horizon_months",
        "1.5 mo",
        "R&D 50%",
        "Seed 2.0 - bridge",
        "李明的房间：第 1 轮",
    ],
)
def test_ordinary_text_reads_the_same(typed):
    assert plain(typed) == typed


def unescape(markdown: str) -> str:
    """What CommonMark shows for text without markup: a backslash before ASCII punctuation is dropped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def unescaped_marks(markdown: str) -> str:
    """The characters of ``markdown`` that are not part of a backslash escape."""
    return re.sub(r"\\[!-/:-@\[-`{-~]", "", markdown)


OTHER_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029" + JOIN  # spaces too (and the joiner is ours)
MARKUP = st.text(
    alphabet=st.sampled_from(list("[]()!<>*_`~$|{}\\#+-.:/@&;=wWab1 \n"))
    | st.characters(exclude_characters=OTHER_BREAKS),
    max_size=60,
)


@given(MARKUP)
def test_escaped_text_reads_as_typed_and_holds_no_markup(typed):
    shown = plain(typed)
    assert unescape(shown).replace(JOIN, "") == re.sub(r"\n+", " ", typed).strip()  # as typed, on one line
    assert "\n" not in shown and "\r" not in shown
    bare = unescaped_marks(shown)
    assert not set(bare) & set("[]<>*`~$|{}"), shown  # no link, image, tag, emphasis, code, maths, table
    assert not re.search(r"(?<![^\W_])_|_(?![^\W_])", bare), shown  # "_" only inside a word
    assert not re.match(r"\s*([-+#]|\d{1,9}[.)](\s|$))", shown), shown  # no list or heading
    text = unescape(shown)  # the parsed text, where Streamlit finds bare links and shortcodes
    assert not re.search(r"https?://|www\.|@[\w-]", text, re.IGNORECASE | re.ASCII), shown  # JavaScript's \w
    assert not re.search(r":[\w+-]+:", text, re.ASCII) and ":material/" not in shown, shown


# --- the pages -----------------------------------------------------------------------------------


def markdown_strings(at) -> list[str]:
    """Every string the page hands Streamlit's Markdown renderer: element bodies (titles, captions,
    Markdown, alerts, toasts), the labels and help of widgets, metrics, expanders and tabs, and the
    options of segmented controls and pills (a selectbox's options are plain text: not collected)."""
    found: list[str] = []

    def collect(proto: Message) -> None:
        for name in ("body", "label", "help", "title"):
            if name in proto.DESCRIPTOR.fields_by_name:
                value = getattr(proto, name)
                if isinstance(value, str) and value:
                    found.append(value)
        if proto.DESCRIPTOR.name == "ButtonGroup":
            found.extend(option.content for option in proto.options)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            kind = proto.WhichOneof("type") if "type" in proto.DESCRIPTOR.oneofs_by_name else None
            collect(getattr(proto, kind) if kind else proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def assert_inert(at, *payloads: str) -> list[str]:
    """No Markdown string of the page holds a live link, image or bare URL from a payload, and each
    payload is shown (escaped) somewhere; the strings that hold one are returned."""
    assert not at.exception
    strings = markdown_strings(at)
    holding = [s for s in strings if "evil" in s]
    for s in holding:
        assert "](" not in s.replace(r"\](", ""), s  # every "[" and "]" escaped: no link, no image
        assert not re.search(r"https?://|www\.", s), s  # no bare link either
    for payload in payloads:
        assert any(plain(payload) in s for s in holding), (payload, holding)
    return holding


def test_a_link_with_markdown_in_its_name_value_and_key_shows_them_as_text():
    at = with_link({"name": LINK, "cash": CASH, KEY: "1"})
    assert_inert(at, LINK, CASH, KEY)
    assert at.title[0].value == plain(LINK)
    # the warning names the value and the unknown key, both escaped by hand
    warning = at.warning[0].value
    assert rf"\[Log in again\](https\:{JOIN}\/\/evil.test\/a)" in warning
    assert rf"\[x\](https\:{JOIN}\/\/evil.test)" in warning
    for page in ("views/risks.py", "views/sensitivity.py", "views/investor.py", "views/present.py"):
        at.switch_page(page).run()
        assert_inert(at, LINK)


def test_a_pinned_scenario_named_with_markdown_is_shown_as_text():
    at = with_link({"name": LINK})
    at.button(key="pin").click().run()
    at.slider(key=factor_key("market.competition")).set_value(9.0).run()  # a move: "against" is offered
    holding = assert_inert(at, LINK)
    pinned = "pinned: " + plain(LINK)
    assert pinned in at.caption[0].value  # the subtitle: what the deltas compare with
    assert pinned in holding and any(pinned in s and s != pinned for s in holding)  # the option; the headline


def test_an_image_in_the_name_is_never_loaded():
    at = with_link({"name": IMAGE})
    assert_inert(at, IMAGE)
    assert at.title[0].value == rf"!\[t\](https\:{JOIN}\/\/evil.test\/track.png)"
    at.switch_page("views/present.py").run()
    assert_inert(at, IMAGE)


def figure_strings(at) -> list[str]:
    """Every string in the page's Plotly figures (decoded: the spec is JSON)."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def test_compare_shows_a_variant_named_with_markdown_or_html_as_text():
    at = with_link({"name": LINK})
    at.switch_page("views/compare.py").run()
    at.button(key="add:bull").click().run()
    at.session_state["variants"][0]["name"] = TAG
    at.session_state["variants"][0]["rows"].append({"setting": "market.competition", "value": CASH})
    at.run()
    assert_inert(at, LINK, CASH)
    assert any(plain(TAG) in label for label in markdown_strings(at))  # the variant's expander
    assert not any(re.search(r"(?<!\\)<", s) for s in markdown_strings(at) if "evil" in s)  # no tag
    assert list(kpi_frame(at).columns) == [plain(LINK), plain(TAG)]
    shown = figure_strings(at)  # the runway and radar overlays and each heatmap's title
    assert not any("<a " in s for s in shown)
    assert sum(html.escape(TAG) in s for s in shown) >= 3


def test_an_uploaded_file_name_and_field_are_shown_as_text():
    at = new_session()
    at.session_state["open:share"] = True
    at.run()
    bad = {"finance": {"cash": 1, "monthly_costs": 1, "monthly_revenue": 0}, KEY: 3}
    uploader = at.file_uploader(key=f"upload:{at.session_state.get('upload_version', 0)}")
    uploader.set_value((f"{LINK}.json", json.dumps(bad).encode(), "application/json")).run()
    (error,) = at.error
    assert plain(f"{LINK}.json") in error.value and plain(KEY) in error.value  # the file and its unknown field
    assert_inert(at, LINK, KEY)


# --- the charts and the report ---------------------------------------------------------------------


def test_chart_builders_escape_names_in_legends_and_hovers():
    catalogue = load_catalogue()
    scenario = parse_scenario({"finance": {"cash": 1_000_000, "monthly_costs": 80_000, "monthly_revenue": 20_000}})
    result = evaluate(scenario)
    escaped = html.escape(TAG)  # &lt;a href=&quot;https://evil.test/p&quot;&gt;Claim&lt;/a&gt;
    radar = charts.opportunity_radar(result.opportunity, result.opportunity, catalogue, "en", TAG)
    assert radar.data[0].name == escaped
    overlay = charts.radar_overlay([(TAG, result.opportunity)], catalogue, "en")
    assert overlay.data[0].name == escaped
    runway = charts.runway_overlay([(TAG, 1_000_000, result.runway)], "USD", "en")
    assert runway.data[0].name == escaped and runway.data[0].hovertemplate.startswith("%{fullData.name} · ")
    assert escaped not in runway.data[0].hovertemplate  # by reference: a "%{y}" in a name is never filled in
    for figure in (radar, overlay, runway):
        assert "<a " not in figure.to_json() and "\\u003ca " not in figure.to_json()


def test_the_report_escapes_every_name_and_label():
    data = {
        "name": PICTURE + LINK,
        "finance": {
            "cash": 1_000_000,
            "monthly_costs": 80_000,
            "monthly_revenue": 20_000,
            "funding": [{"month": 6, "amount": 500_000, "label": TAG}],
        },
    }
    one = parse_scenario(data)
    other = parse_scenario({**data, "name": TAG})
    for page in (build_report([one]), build_report([one, other])):
        assert '<img src="https://evil.test' not in page and '<a href="https://evil.test' not in page
        assert html.escape(PICTURE) in page and html.escape(TAG) in page  # shown, as text
        assert "[Claim your refund](https://evil.test/phish)" in page  # Markdown is not read in HTML
