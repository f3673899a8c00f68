"""Method: how every number is computed, in plain words, with the conventions in force; each
factor's pull on overall risk, computed from the model; and the model card (docs/model.md)."""

import streamlit as st

from dashboard.ui import current_lang
from presentation.i18n import text
from presentation.method_text import SECTIONS, method_sections
from scoring import load_catalogue
from scoring.model_card import MODEL_CARD, REFERENCE_PRESET, FactorInfluence, card_markdown, factor_influence
from scoring.presets import preset_info


@st.cache_data(show_spinner=False)
def influence() -> tuple[FactorInfluence, ...]:
    """Every signed factor's 0 -> 10 change of overall risk on the reference preset, largest first."""
    return factor_influence()


def model_card() -> str | None:
    """The card as Markdown, read on each run (a small file), so a regenerated card shows at once."""
    return card_markdown() if MODEL_CARD.is_file() else None


def influence_table(lang: str) -> None:
    catalogue = load_catalogue()
    st.header(text("method.influence.title", lang))
    st.markdown(text("method.influence.body", lang, preset=preset_info()[REFERENCE_PRESET].name.get(lang)))
    factor, emphasis, change = (text(f"method.influence.{key}", lang) for key in ("factor", "emphasis", "change"))
    rows = [
        {
            factor: catalogue.factors[row.factor].name.get(lang),
            emphasis: text(f"method.influence.{row.emphasis}", lang),
            change: row.change,
        }
        for row in influence()
    ]
    help_text = text("method.influence.change_help", lang)
    column = st.column_config.NumberColumn(change, help=help_text, format="%+.1f")
    st.dataframe(rows, hide_index=True, column_config={change: column}, height=35 * (len(rows) + 1) + 3)  # every row


lang = current_lang()
st.title(text("method.title", lang))
for section, (title, body) in zip(SECTIONS, method_sections(lang), strict=True):
    st.header(title)
    st.markdown(body)
    if section == "overall":
        influence_table(lang)

card = model_card()
with st.expander(text("method.card.title", lang)):
    st.markdown(text("method.card.intro", lang))
    if card is None:
        st.info(text("method.card.missing", lang))
    else:
        st.markdown(card)
