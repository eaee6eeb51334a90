"""Settings: defaults ← preset ← environment ← flags, each described, each explained by origin."""

import pytest

from listlens.app.settings import SettingsError, describe, load_settings


def test_flags_beat_the_environment_which_beats_the_preset():
    env = {"LISTLENS_PRESET": "thorough", "LISTLENS_PORT": "9001"}
    settings = load_settings({"port": 9002}, environ=env)
    assert settings.top_k == 12  # from the preset
    assert settings.port == 9002  # the flag wins over LISTLENS_PORT
    assert load_settings({}, environ={**env, "LISTLENS_TOP_K": "3"}).top_k == 3


def test_the_library_config_is_built_from_the_same_values(tmp_path):
    settings = load_settings({"data_dir": tmp_path, "backend": "local"}, environ={})
    assert settings.index.data_dir == tmp_path and settings.index.backend == "local"


def test_empty_optional_values_mean_unset():
    assert load_settings({}, environ={"LISTLENS_CHROMA_URL": ""}).chroma_url is None


@pytest.mark.parametrize("env, message", [
    ({"LISTLENS_TOP_K": "many"}, "LISTLENS_TOP_K='many'"),
    ({"LISTLENS_BACKEND": "gpt"}, "'extractive', 'local' or 'openai'"),
    ({"LISTLENS_PRESET": "turbo"}, "unknown preset 'turbo'"),
    ({"LISTLENS_PORT": "70000"}, "LISTLENS_PORT"),
])
def test_a_bad_value_is_refused_with_its_name(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({}, environ=env)


def test_every_setting_is_described_with_its_origin():
    rows = describe({"port": 9000}, environ={"LISTLENS_TOP_K": "4", "LISTLENS_PRESET": "fast"})
    by_name = {r["variable"]: r for r in rows}
    assert all(r["description"] for r in rows)
    assert by_name["LISTLENS_PORT"]["from"] == "flag"
    top_k = by_name["LISTLENS_TOP_K"]
    assert (top_k["value"], top_k["from"], top_k["default"]) == ("4", "environment", "8")
    preset_only = {r["variable"]: r for r in describe({}, environ={"LISTLENS_PRESET": "fast"})}
    assert preset_only["LISTLENS_TOP_K"]["from"] == "preset fast"
    assert by_name["LISTLENS_CHROMA_URL"]["value"] == "(unset)"  # never "None"


def test_secrets_are_never_printed():
    rows = describe({}, environ={"LISTLENS_OPENAI_API_KEY": "sk-secret", "LISTLENS_AUTH": "a:b"})
    assert "sk-secret" not in str(rows) and "a:b" not in str(rows)
