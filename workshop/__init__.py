"""Workshop mode: a room of people rates the factors; the group's answers feed the same model.

No Streamlit here: :mod:`workshop.store` keeps rooms in a database (its parts: ``records``,
``schema``, ``migrations``, ``engine``, ``queries``, ``export``), :mod:`workshop.aggregate` turns a
round's answers into the group view (medians, spreads, agreement).
"""
