"""Folding transliterates other scripts to Latin letters instead of deleting them."""

from listlens.index.entities import normalize
from listlens.ingest.fold import fold


def test_cyrillic_names_fold_to_latin_not_to_nothing():
    assert fold("Ростех") == "rostekh"
    assert fold("Дмитрий Медведев") == "dmitriy medvedev"


def test_chinese_names_fold_to_pinyin():
    assert fold("华为") == "huawei"
    assert fold("中国电子科技集团") != ""


def test_accents_and_typography_fold_like_latin():
    assert fold("Zürich Škoda Øresund") == "zurich skoda oresund"
    assert fold("Straße") == "strasse"
    assert fold("ＡＢＣ") == "abc"  # full-width letters


def test_entity_normalisation_keeps_names_in_other_scripts_apart():
    # Deleting non-ASCII made every Cyrillic name the same empty key.
    assert normalize("ООО Ростех") == "ooo rostekh"
    assert normalize("Ростех") != normalize("Алмаз-Антей") != ""
    assert normalize("华为技术有限公司")  # not empty
