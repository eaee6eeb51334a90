"""One folding of text for comparing names: any script transliterated to ASCII, lower case.

Names reach us in Cyrillic, Chinese, Arabic and accented Latin, while the lists mostly write
them in Latin letters. Deleting what is not ASCII (NFKD, then encode("ascii", "ignore")) turns
"Ростех" into "" and makes every such name match every other; transliterating keeps it
comparable ("rostekh"). The entity table folds with `fold`; screening (index/screen.py) uses
the same anyascii transliteration, with Chinese runs joined as pinyin words on top.
"""

from __future__ import annotations

from anyascii import anyascii


def fold(text: str) -> str:
    """'Ростех' -> 'rostekh', 'Zürich' -> 'zurich', '华为' -> 'huawei'.

    Chinese characters come out as pinyin syllables run together, which is how lists write
    one-word company names (Huawei); spaces and punctuation are kept for the caller to split on.
    """
    return anyascii(str(text)).lower()
