"""The offline check: pasting mistakes and format rules, found with no network, for every provider.

First at the level of ``app.offline`` (what the window shows while typing), then through the
``check`` command on a vault, where the model has already cleaned what ``add`` stored.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

import providers
from app.errors import InvalidInput
from app.models import build_credentials, parse_new
from app.offline import blocking, check_integration, check_values
from app.vault import Vault
from providers.findings import Finding
from tests.conftest import (
    R2_ACCOUNT,
    R2_KEY_ID,
    R2_SECRET,
    S3_KEY_ID,
    S3_SECRET,
    ZENDESK_TOKEN,
    Cli,
)

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_VAULT, EXIT_INVALID = 0, 1, 2, 3, 4

# Credentials shaped like the real thing for each provider: the check must stay quiet on them.
CLEAN: dict[str, dict[str, str]] = {
    "s3": {
        "bucket": "acme-support-screenshots",
        "region": "eu-west-1",
        "accessKeyId": S3_KEY_ID,
        "secretAccessKey": S3_SECRET,
    },
    "r2": {
        "bucket": "acme-support-screenshots",
        "accountId": R2_ACCOUNT,
        "accessKeyId": R2_KEY_ID,
        "secretAccessKey": R2_SECRET,
    },
    "zendesk": {"subdomain": "acme", "username": "agent@acme.com", "token": ZENDESK_TOKEN},
    "intercom": {
        "accessToken": "dG9rOjFhMmIzYzRkXzVlNmZfNDc4OV84YWJjXzEyMzQ1Njc4OWFiYzoxOjA=",
        "region": "eu",
    },
    "helpscout": {"apiKey": "3f9a2c7e1b8d4f6a0c5e9b2d7a1f3c8e6b4d0a2f"},
    "helpjuice": {"subdomain": "acme", "apiKey": "6f1c2b9e8d7a4c3b2a1f0e9d8c7b6a5f"},
    "freshdesk": {"subdomain": "acme", "apiKey": "Ab12Cd34Ef56Gh78Ij90"},
    "knowledgeowl": {
        "apiKey": "5b8f0e3c2a1d9e7f6b4a3c2d1e0f9a8b",
        "projectId": "5f2a9c0d8e7b6a5f4e3d2c1b",
    },
}
SECRET_FIELD = {
    "s3": "secretAccessKey",
    "r2": "secretAccessKey",
    "zendesk": "token",
    "intercom": "accessToken",
    "helpscout": "apiKey",
    "helpjuice": "apiKey",
    "freshdesk": "apiKey",
    "knowledgeowl": "apiKey",
}
EVERY_FIELD = [(provider, name) for provider, values in CLEAN.items() for name in values]
EVERY_SECRET = sorted(SECRET_FIELD.items())
ALL_SECRET_VALUES = [values[SECRET_FIELD[p]] for p, values in CLEAN.items()]


def _with(provider: str, **changes: str) -> dict[str, str]:
    return {**CLEAN[provider], **changes}


def _messages(found: list[Finding], field: str) -> str:
    return " | ".join(f.message for f in found if f.field == field)


def _no_secret_in(found: list[Finding]) -> None:
    text = json.dumps([f.to_json() for f in found])
    for secret in ALL_SECRET_VALUES:
        assert secret not in text
        assert secret[8:24] not in text


def _data(provider: str, label: str, **changes: str) -> dict[str, Any]:
    """Input for a new integration, as `add --json` takes it."""
    return {"label": label, "provider": provider, "credentials": _with(provider, **changes)}


def test_the_clean_credentials_cover_every_provider() -> None:
    """The realistic credentials below exist for each of the eight providers, secrets known."""
    assert set(CLEAN) == set(providers.PROVIDERS) == set(SECRET_FIELD)
    for provider, secret in SECRET_FIELD.items():
        assert secret in providers.PROVIDERS[provider].credentials.secret_fields()


# -- the clean side -------------------------------------------------------------------------


@pytest.mark.parametrize("provider", sorted(CLEAN))
def test_realistic_credentials_give_no_findings(provider: str) -> None:
    """Credentials shaped like real keys, typed cleanly, get no finding at all."""
    assert check_values(provider, CLEAN[provider]) == []


@pytest.mark.parametrize(
    ("provider", "changes"),
    [
        ("s3", {"accessKeyId": "ASIAIOSFODNN7TESTKEY"}),
        ("s3", {"bucket": "acme.support.screenshots", "region": "us-east-1"}),
        ("s3", {"bucket": "a1b"}),
        ("s3", {"secretAccessKey": "wJalrXUtnFEMI+K7MDENG/bPxRfiCYTESTSECRT1"}),
        ("r2", {"accountId": R2_ACCOUNT.upper(), "region": "auto"}),
        ("r2", {"bucket": "x" * 63}),
        ("zendesk", {"subdomain": "https://acme.zendesk.com/hc/en-us"}),
        ("zendesk", {"username": "first.last+support@acme.co.uk"}),
        ("intercom", {"region": "us"}),
        ("helpjuice", {"subdomain": "acme.helpjuice.com"}),
        ("freshdesk", {"subdomain": "https://acme.freshdesk.com"}),
        ("knowledgeowl", {"projectId": ""}),
    ],
)
def test_other_well_formed_variants_give_no_findings(
    provider: str, changes: dict[str, str]
) -> None:
    """Temporary AWS keys, dotted buckets, pasted addresses the model accepts: no finding."""
    assert check_values(provider, _with(provider, **changes)) == []


@pytest.mark.parametrize("provider", sorted(CLEAN))
def test_a_stored_clean_integration_gives_no_findings(vault: Vault, provider: str) -> None:
    """check_integration of a cleanly saved integration finds nothing, whatever the provider."""
    stored = vault.add(parse_new(_data(provider, f"Clean {provider}")))
    assert check_integration(vault.get(stored.id)) == []


# -- mistakes every field can have ----------------------------------------------------------


@pytest.mark.parametrize(("provider", "field"), EVERY_FIELD)
@pytest.mark.parametrize("quotes", ['""', "''", "“”", "‘’"])
def test_quotes_around_any_field_are_named_as_the_cause(
    provider: str, field: str, quotes: str
) -> None:
    """A value wrapped in quotes gets an error on that field only, saying to remove the quotes."""
    value = quotes[0] + CLEAN[provider][field] + quotes[1]
    found = check_values(provider, _with(provider, **{field: value}))
    assert {f.field for f in found} == {field}
    first = next(f for f in found if f.field == field)
    assert "quotes" in first.message
    assert "remove" in first.message
    assert first.severity == "error"
    _no_secret_in(found)


@pytest.mark.parametrize(("provider", "field"), EVERY_FIELD)
def test_a_quote_left_at_one_end_is_named(provider: str, field: str) -> None:
    """A value copied with only its closing quote (from JSON, say) is named as such."""
    found = check_values(provider, _with(provider, **{field: CLEAN[provider][field] + '"'}))
    assert "ends with a quote mark" in _messages(found, field)
    assert {f.field for f in found} == {field}


@pytest.mark.parametrize(("provider", "field"), EVERY_FIELD)
@pytest.mark.parametrize("around", [(" ", ""), ("", "\n"), ("\t", " \r\n"), ("\u00a0", "")])
def test_spaces_around_any_field_are_a_warning_and_removed_on_save(
    provider: str, field: str, around: tuple[str, str]
) -> None:
    """Spaces or line breaks around a value: a warning on that field; the saved value is clean."""
    value = around[0] + CLEAN[provider][field] + around[1]
    typed = _with(provider, **{field: value})

    found = check_values(provider, typed)
    assert [(f.field, f.severity) for f in found] == [(field, "warning")]
    assert "spaces or line breaks around it" in found[0].message
    assert "removed on save" in found[0].message

    saved = build_credentials(provider, typed, remember=False).to_wire()
    assert saved[field] == CLEAN[provider][field]


@pytest.mark.parametrize(("provider", "field"), EVERY_FIELD)
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200d", "\x00"])
def test_invisible_characters_copied_along_are_named(
    provider: str, field: str, invisible: str
) -> None:
    """A zero-width space or control character inside a value is named on that field."""
    text = CLEAN[provider][field]
    value = text[:2] + invisible + text[2:]
    found = check_values(provider, _with(provider, **{field: value}))
    assert "invisible characters" in _messages(found, field)
    assert {f.field for f in found} == {field}
    _no_secret_in(found)


@pytest.mark.parametrize(
    ("provider", "field"), [(p, f) for p, f in EVERY_FIELD if f != SECRET_FIELD[p]]
)
def test_a_secret_pasted_into_a_plain_field_is_named(provider: str, field: str) -> None:
    """The secret's own value typed into a non-secret field too is named as a pasted secret."""
    secret = CLEAN[provider][SECRET_FIELD[provider]]
    found = check_values(provider, _with(provider, **{field: secret}))
    assert "same value as a secret field" in _messages(found, field)
    assert all(f.severity == "error" for f in blocking(found))
    _no_secret_in(found)


@pytest.mark.parametrize(("provider", "field"), EVERY_FIELD)
def test_a_value_split_by_a_space_is_named(provider: str, field: str) -> None:
    """A space or line break inside any value (no field has one) is named on that field."""
    text, middle = CLEAN[provider][field], len(CLEAN[provider][field]) // 2
    found = check_values(provider, _with(provider, **{field: f"{text[:middle]}\n{text[middle:]}"}))
    messages = _messages(found, field)
    assert "contains spaces" in messages or "space or line break inside" in messages
    _no_secret_in(found)


# -- a pasted Authorization header or scheme word in front of a secret ---------------------


@pytest.mark.parametrize(("provider", "field"), EVERY_SECRET)
@pytest.mark.parametrize(
    ("prefix", "shown"),
    [
        ("Bearer ", "Bearer"),
        ("bearer ", "Bearer"),
        ("BEARER\t", "Bearer"),
        ("Bearer:", "Bearer"),
        ("Basic ", "Basic"),
        ("basic  ", "Basic"),
        ("Token ", "Token"),
        ("Token token=", "Token"),
        ("Authorization: Bearer ", "Authorization: Bearer"),
        ("Authorization: Basic ", "Authorization: Basic"),
        ("Authorization: ", "Authorization:"),
    ],
)
def test_a_scheme_word_in_front_of_a_secret_is_named_without_the_secret(
    provider: str, field: str, prefix: str, shown: str
) -> None:
    """'Bearer ', 'Basic ' or a whole 'Authorization:' header before a secret: an error names it."""
    secret = CLEAN[provider][field]
    found = check_values(provider, _with(provider, **{field: prefix + secret}))
    own = [f for f in found if f.field == field]
    assert own, found
    assert own[0].message.startswith(f"starts with '{shown}'")
    assert "paste only the key or token itself" in own[0].message
    assert own[0].severity == "error"
    _no_secret_in(found)


@pytest.mark.parametrize(("provider", "field"), EVERY_SECRET)
def test_a_quoted_bearer_token_names_both_mistakes(provider: str, field: str) -> None:
    """'"Bearer abc…"' gets both the quotes and the scheme word named on the secret field."""
    value = f'"Bearer {CLEAN[provider][field]}"'
    messages = _messages(check_values(provider, _with(provider, **{field: value})), field)
    assert "wrapped in quotes" in messages
    assert "starts with 'Bearer'" in messages


@pytest.mark.parametrize(("provider", "field"), EVERY_SECRET)
def test_a_secret_starting_with_the_letters_of_a_scheme_word_is_not_a_finding(
    provider: str, field: str
) -> None:
    """A key that merely begins with 'token', 'basic' or 'bearer' letters is left alone."""
    for start in ("token", "Basic1", "bearer-"):
        value = start + CLEAN[provider][field][len(start) :]
        found = check_values(provider, _with(provider, **{field: value}))
        assert "starts with" not in _messages(found, field)


@pytest.mark.parametrize(("provider", "field"), EVERY_SECRET)
def test_foreign_characters_in_a_secret_are_named(provider: str, field: str) -> None:
    """Letters outside A–Z or emoji inside a secret: an error saying to copy it again."""
    value = CLEAN[provider][field][:-1] + "é"
    found = check_values(provider, _with(provider, **{field: value}))
    assert "copy it again" in _messages(found, field)
    _no_secret_in(found)


# -- formats: AWS key pairs, R2 tokens and accounts, buckets, e-mail ------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"accessKeyId": "AKIAIOSFODNN7TEST"}, "accessKeyId", "20 capital letters"),
        ({"accessKeyId": S3_KEY_ID.lower()}, "accessKeyId", "starting with AKIA"),
        ({"accessKeyId": "XKIAIOSFODNN7TESTKEY"}, "accessKeyId", "starting with AKIA"),
        ({"accessKeyId": S3_SECRET}, "accessKeyId", "looks like a secret access key"),
        ({"secretAccessKey": S3_KEY_ID}, "secretAccessKey", "holds an access key ID"),
        ({"secretAccessKey": S3_SECRET[:30]}, "secretAccessKey", "40 characters"),
        (
            {"accessKeyId": R2_KEY_ID, "secretAccessKey": R2_SECRET},
            "accessKeyId",
            "Cloudflare R2 token",
        ),
    ],
)
def test_s3_key_pairs_of_the_wrong_shape_are_named(
    changes: dict[str, str], field: str, words: str
) -> None:
    """An S3 key id or secret not shaped like AWS's names the field and the expected shape."""
    found = check_values("s3", _with("s3", **changes))
    assert words in _messages(found, field)
    _no_secret_in(found)


def test_a_swapped_s3_key_pair_is_named_on_both_fields() -> None:
    """Key id and secret pasted the wrong way round: both fields say what they hold."""
    found = check_values("s3", _with("s3", accessKeyId=S3_SECRET, secretAccessKey=S3_KEY_ID))
    assert "looks like a secret access key" in _messages(found, "accessKeyId")
    assert "holds an access key ID" in _messages(found, "secretAccessKey")
    assert blocking(found)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"accountId": R2_ACCOUNT[:31]}, "accountId", "32 hexadecimal"),
        ({"accountId": "g" * 32}, "accountId", "32 hexadecimal"),
        ({"accountId": "acme-account"}, "accountId", "32 hexadecimal"),
        ({"accountId": R2_ACCOUNT + "00"}, "accountId", "32 hexadecimal"),
        (
            {"accountId": f"https://{R2_ACCOUNT}.r2.cloudflarestorage.com"},
            "accountId",
            "endpoint address",
        ),
        ({"accountId": f"{R2_ACCOUNT}.r2.cloudflarestorage.com"}, "accountId", "endpoint"),
        ({"accessKeyId": S3_KEY_ID}, "accessKeyId", "AWS access key"),
        ({"secretAccessKey": S3_SECRET}, "secretAccessKey", "AWS secret key"),
        ({"accessKeyId": R2_KEY_ID[:20]}, "accessKeyId", "32 hexadecimal"),
        ({"accessKeyId": R2_ACCOUNT}, "accessKeyId", "same as the account ID"),
        ({"secretAccessKey": R2_SECRET[:50]}, "secretAccessKey", "64 hexadecimal"),
        ({"accessKeyId": "f" * 64}, "accessKeyId", "looks like the secret access key"),
        ({"secretAccessKey": "a" * 32}, "secretAccessKey", "looks like an access key ID"),
    ],
)
def test_r2_accounts_and_tokens_of_the_wrong_shape_are_named(
    changes: dict[str, str], field: str, words: str
) -> None:
    """An R2 account id not 32 hex, an AWS key pair or a swapped token: the field says so."""
    found = check_values("r2", _with("r2", **changes))
    assert words in _messages(found, field)
    _no_secret_in(found)


def test_an_s3_key_pair_in_an_r2_form_is_named_on_both_fields() -> None:
    """AKIA… and a 40-character AWS secret in an R2 form: both fields point to S3 instead."""
    found = check_values("r2", _with("r2", accessKeyId=S3_KEY_ID, secretAccessKey=S3_SECRET))
    assert "add this key as an S3 integration" in _messages(found, "accessKeyId")
    assert "AWS secret key" in _messages(found, "secretAccessKey")


def test_a_swapped_r2_token_is_named_on_both_fields() -> None:
    """The 64-character secret as key id and the 32-character id as secret: both named."""
    found = check_values("r2", _with("r2", accessKeyId=R2_SECRET, secretAccessKey=R2_KEY_ID))
    assert "looks like the secret access key" in _messages(found, "accessKeyId")
    assert "looks like an access key ID" in _messages(found, "secretAccessKey")
    _no_secret_in(found)


@pytest.mark.parametrize("provider", ["s3", "r2"])
@pytest.mark.parametrize(
    ("bucket", "words"),
    [
        ("Acme-Screenshots", "lowercase"),
        ("acme_screenshots", "'_'"),
        ("ab", "3 to 63"),
        ("a" * 64, "3 to 63"),
        ("-acme", "start and end with a letter or digit"),
        ("acme-", "start and end with a letter or digit"),
        ("acme..shots", "'..'"),
        ("192.168.10.20", "IP address"),
        ("acme shots", "spaces"),
        ("s3://acme-screenshots", "not a bucket name"),
        ("arn:aws:s3:::acme-screenshots", "not a bucket name"),
        ("https://acme-screenshots.s3.amazonaws.com/", "not a bucket name"),
        ("acme-screenshots.s3.eu-west-1.amazonaws.com", "web address"),
        (f"acme.{R2_ACCOUNT}.r2.cloudflarestorage.com", "web address"),
    ],
)
def test_bucket_names_breaking_the_naming_rules_are_named(
    provider: str, bucket: str, words: str
) -> None:
    """Capitals, '_', length, edges, '..', IP shapes and pasted addresses: the bucket says why."""
    found = check_values(provider, _with(provider, bucket=bucket))
    assert words in _messages(found, "bucket")
    assert {f.field for f in found} == {"bucket"}


@pytest.mark.parametrize(
    "bucket",
    ["xn--acme", "sthree-acme", "amzn-s3-demo-acme", "acme-s3alias", "acme--ol-s3", "acme.mrap"],
)
def test_reserved_s3_bucket_prefixes_and_suffixes_are_named(bucket: str) -> None:
    """S3 reserves some bucket prefixes and suffixes; such a name is an error on the bucket."""
    found = check_values("s3", _with("s3", bucket=bucket))
    assert [f.field for f in blocking(found)] == ["bucket"]
    assert "S3 bucket names may not" in found[0].message


@pytest.mark.parametrize(
    ("username", "words"),
    [
        ("agent", "must be an e-mail address"),
        ("agent@acme", "must be an e-mail address"),
        ("@acme.com", "must be an e-mail address"),
        ("Agent Smith <agent@acme.com>", "must be an e-mail address"),
        ("agent@@acme.com", "must be an e-mail address"),
        (ZENDESK_TOKEN, "looks like a token, not an e-mail address"),
        ("dG9rOjEyMzQ1Njc4OmFiY2RlZl8x", "looks like a token"),
        ("agent@acme.com/token", "ends with '/token'"),
        (f"agent@acme.com/token:{ZENDESK_TOKEN}", "whole 'e-mail/token:API token' login"),
        ("mailto:agent@acme.com", "starts with 'mailto:'"),
    ],
)
def test_a_zendesk_e_mail_of_the_wrong_shape_names_the_cause(username: str, words: str) -> None:
    """Not an address, a token, '/token' or the whole login in the e-mail field: named."""
    found = check_values("zendesk", _with("zendesk", username=username))
    assert words in _messages(found, "username")
    assert {f.field for f in found} == {"username"}
    assert all(f.severity == "error" for f in found)
    _no_secret_in(found)


def test_the_whole_zendesk_login_in_the_token_field_is_named() -> None:
    """'agent@…/token:abc…' in the token field says to paste only the part after 'token:'."""
    found = check_values("zendesk", _with("zendesk", token=f"agent@acme.com/token:{ZENDESK_TOKEN}"))
    assert "the part after 'token:'" in _messages(found, "token")
    _no_secret_in(found)


@pytest.mark.parametrize(
    ("provider", "field", "value"),
    [
        ("zendesk", "subdomain", "acme.freshdesk.com"),
        ("helpjuice", "subdomain", "acme/kb"),
        ("freshdesk", "subdomain", "support.acme.com"),
        ("intercom", "region", "eu-west-1"),
        ("r2", "region", "auto auto"),
        ("s3", "region", "us_east_1"),
    ],
)
def test_model_rules_name_the_field_when_no_paste_rule_applies(
    provider: str, field: str, value: str
) -> None:
    """A value the model refuses shows the model's own message on the field it belongs to."""
    found = check_values(provider, _with(provider, **{field: value}))
    assert found
    assert {f.field for f in found} == {field}
    assert all(f.message for f in found)


def test_a_missing_required_field_is_named() -> None:
    """A required field left out is reported as 'required' on that field."""
    values = _with("zendesk")
    del values["token"]
    assert [(f.field, f.message) for f in check_values("zendesk", values)] == [
        ("token", "required")
    ]


def test_an_unknown_provider_is_a_finding_not_a_crash() -> None:
    """check_values for a provider that does not exist names the provider."""
    assert [f.field for f in check_values("dropbox", {})] == ["provider"]


def test_non_text_values_are_named_not_crashed_on() -> None:
    """A number or null where text belongs (from a JSON file) says 'must be text'."""
    found = check_values("freshdesk", {"subdomain": 42, "apiKey": None})
    assert {f.field for f in found} == {"subdomain", "apiKey"}


def test_the_paste_cause_comes_before_the_model_rule_on_the_same_field() -> None:
    """A quoted subdomain shows 'wrapped in quotes' first, then what a subdomain may contain."""
    found = check_values("freshdesk", _with("freshdesk", subdomain='"acme"'))
    assert [f.field for f in found] == ["subdomain", "subdomain"]
    assert "quotes" in found[0].message
    assert "letters, digits and '-'" in found[1].message


# -- what `add` stores, and what the stored integration still shows -----------------------

# Mistakes the model lets through on save: the stored integration keeps them.
STORED_MISTAKES = [
    ("s3", {"secretAccessKey": f'"{S3_SECRET}"'}, "secretAccessKey", "wrapped in quotes"),
    ("s3", {"accessKeyId": S3_SECRET}, "accessKeyId", "looks like a secret access key"),
    ("s3", {"secretAccessKey": S3_KEY_ID}, "secretAccessKey", "holds an access key ID"),
    ("s3", {"bucket": "xn--acme"}, "bucket", "may not start with 'xn--'"),
    ("r2", {"accessKeyId": S3_KEY_ID}, "accessKeyId", "AWS access key"),
    ("r2", {"accountId": "acme-account"}, "accountId", "32 hexadecimal"),
    ("zendesk", {"token": f"Bearer {ZENDESK_TOKEN}"}, "token", "starts with 'Bearer'"),
    ("zendesk", {"username": "agent@acme.com\u200b"}, "username", "invisible characters"),
    ("zendesk", {"username": '"agent@acme.com"'}, "username", "wrapped in quotes"),
    ("intercom", {"accessToken": "Bearer dG9rOjEyMzQ1Njc4"}, "accessToken", "'Bearer'"),
    ("helpscout", {"apiKey": "Basic M2Y5YTJjN2UxYjhkOlg="}, "apiKey", "starts with 'Basic'"),
    ("helpjuice", {"apiKey": "Authorization: 6f1c2b9e8d7a"}, "apiKey", "'Authorization:'"),
    ("freshdesk", {"apiKey": "'Ab12Cd34Ef56Gh78Ij90'"}, "apiKey", "wrapped in quotes"),
    ("knowledgeowl", {"projectId": '"5f2a9c0d8e7b"'}, "projectId", "wrapped in quotes"),
    ("knowledgeowl", {"apiKey": "5b8f0e3c 2a1d9e7f"}, "apiKey", "space or line break inside"),
]


@pytest.mark.parametrize(("provider", "changes", "field", "words"), STORED_MISTAKES)
def test_a_mistake_the_model_accepts_is_still_found_once_stored(
    vault: Vault, provider: str, changes: dict[str, str], field: str, words: str
) -> None:
    """Saved through the model, the integration keeps the mistake and check_integration names it."""
    stored = vault.add(parse_new(_data(provider, "Pasted", **changes)))
    found = check_integration(vault.get(stored.id))
    assert words in _messages(found, field)
    _no_secret_in(found)


def test_a_token_in_the_e_mail_field_is_refused_on_save_and_named_while_typing() -> None:
    """The model refuses a token as e-mail; the form's check says it looks like a token."""
    typed = _with("zendesk", username=ZENDESK_TOKEN[::-1])
    with pytest.raises(InvalidInput) as refused:
        build_credentials("zendesk", typed, remember=False)
    assert [p.field for p in refused.value.problems] == ["credentials.username"]
    assert "looks like a token" in _messages(check_values("zendesk", typed), "username")


# -- the `check` command ---------------------------------------------------------------------


def _check_json(cli: Cli, *args: str) -> tuple[int, dict[str, dict]]:
    done = cli.run("check", *args, "--json")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, {r["id"]: r for r in records}


def _assert_no_secret(done: subprocess.CompletedProcess[str]) -> None:
    for secret in ALL_SECRET_VALUES:
        assert secret not in done.stdout + done.stderr


def test_check_all_json_of_clean_integrations_says_ok_for_each_and_exits_0(
    cli_vault: Cli,
) -> None:
    """check --all --json: one ok line per provider, no findings, exit 0."""
    ids = cli_vault.seed(*(_data(p, f"Clean {p}") for p in sorted(CLEAN)))

    code, records = _check_json(cli_vault, "--all")
    assert code == EXIT_OK
    assert sorted(records) == sorted(ids)
    for record in records.values():
        assert set(record) == {"id", "label", "provider", "ok", "category", "findings"}
        assert (record["ok"], record["category"], record["findings"]) == (True, "ok", [])


def test_check_all_json_names_the_field_and_cause_of_each_stored_mistake(cli_vault: Cli) -> None:
    """Every stored mistake comes back misconfigured, naming its field and cause; exit 1."""
    ids = cli_vault.seed(
        *(
            _data(p, f"Mistake {i}", **changes)
            for i, (p, changes, _, _) in enumerate(STORED_MISTAKES)
        )
    )
    clean_id = cli_vault.seed(_data("freshdesk", "Still fine"))[0]

    done = cli_vault.run("check", "--all", "--json")
    assert done.returncode == EXIT_CHECK_FAILED
    records = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    for item_id, (provider, _, field, words) in zip(ids, STORED_MISTAKES, strict=True):
        record = records[item_id]
        assert (record["provider"], record["ok"], record["category"]) == (
            provider,
            False,
            "misconfigured",
        )
        named = " | ".join(f["message"] for f in record["findings"] if f["field"] == field)
        assert words in named, record
        assert all(set(f) == {"field", "severity", "message"} for f in record["findings"])
    assert records[clean_id]["category"] == "ok"
    _assert_no_secret(done)


def test_add_removes_spaces_around_values_so_check_finds_nothing(cli_vault: Cli) -> None:
    """`add --set` with spaces and a line break around values stores them trimmed; check: ok."""
    done = cli_vault.run(
        "add",
        "--provider",
        "zendesk",
        "--label",
        "Spacy",
        "--set",
        "subdomain=  acme ",
        "--set",
        "username= agent@acme.com",
        "--set",
        f"token={ZENDESK_TOKEN}\n",
    )
    assert done.returncode == EXIT_OK, done.stderr
    item_id = done.stdout.strip()
    assert cli_vault.stored()[item_id].credentials.to_wire() == CLEAN["zendesk"]

    checked = cli_vault.run("check", item_id)
    assert checked.returncode == EXIT_OK
    assert checked.stdout == "ok   Spacy (zendesk)\n"


def test_add_keeps_a_bearer_prefix_and_check_id_prints_the_fix(cli_vault: Cli) -> None:
    """A Zendesk token saved as 'Bearer …': `check ID` prints FAIL, the field and the fix."""
    done = cli_vault.run(
        "add",
        "--provider",
        "zendesk",
        "--label",
        "Acme",
        "--set",
        "subdomain=acme",
        "--set",
        "username=agent@acme.com",
        "--set",
        f"token=Bearer {ZENDESK_TOKEN}",
    )
    assert done.returncode == EXIT_OK, done.stderr
    item_id = done.stdout.strip()
    assert cli_vault.stored()[item_id].credentials.to_wire()["token"].startswith("Bearer ")

    checked = cli_vault.run("check", item_id)
    assert checked.returncode == EXIT_CHECK_FAILED
    assert checked.stdout.startswith("FAIL Acme (zendesk): token: starts with 'Bearer'; ")
    assert "paste only the key or token itself" in checked.stdout
    _assert_no_secret(checked)


def test_check_id_prints_warnings_as_warn_lines(cli_vault: Cli) -> None:
    """An AWS key in an R2 form is a 'warn' line naming accessKeyId and S3; exit 1."""
    (item_id,) = cli_vault.seed(_data("r2", "Wrong form", accessKeyId=S3_KEY_ID))

    checked = cli_vault.run("check", item_id)
    assert checked.returncode == EXIT_CHECK_FAILED
    assert checked.stdout.startswith("warn Wrong form (r2): accessKeyId: this is an AWS access key")
    assert "as an S3 integration" in checked.stdout


def test_add_refuses_a_token_in_the_e_mail_field_naming_it(cli_vault: Cli) -> None:
    """`add` with the token as e-mail exits 4 naming credentials.username; nothing is stored."""
    done = cli_vault.run(
        "add", "--json", "-", stdin=json.dumps(_data("zendesk", "Swap", username=ZENDESK_TOKEN))
    )
    assert done.returncode == EXIT_INVALID
    assert "credentials.username" in done.stderr
    assert ZENDESK_TOKEN not in done.stderr
    assert cli_vault.stored() == {}


def test_check_names_only_the_integrations_asked_for(cli_vault: Cli) -> None:
    """`check ID --json` reports that one integration, even when another has a mistake."""
    clean_id, bad_id = cli_vault.seed(
        _data("helpjuice", "Clean"), _data("helpjuice", "Bad", apiKey="Bearer 6f1c2b9e8d7a4c3b")
    )

    code, records = _check_json(cli_vault, clean_id)
    assert (code, list(records)) == (EXIT_OK, [clean_id])
    code, records = _check_json(cli_vault, bad_id)
    assert (code, list(records)) == (EXIT_CHECK_FAILED, [bad_id])


def test_check_with_no_ids_checks_everything(cli_vault: Cli) -> None:
    """`check --json` with neither ids nor --all checks every integration."""
    ids = cli_vault.seed(_data("intercom", "One"), _data("knowledgeowl", "Two"))
    code, records = _check_json(cli_vault)
    assert (code, sorted(records)) == (EXIT_OK, sorted(ids))


def test_check_of_an_unknown_id_exits_2_and_names_it(cli_vault: Cli) -> None:
    """`check` of an id the vault does not hold: exit 2, 'no integration with id …'."""
    done = cli_vault.run("check", "no-such-id")
    assert done.returncode == EXIT_USAGE
    assert done.stderr.strip() == "error: no integration with id no-such-id"


def test_check_of_an_empty_vault_says_so_and_exits_0(cli_vault: Cli) -> None:
    """`check` on an empty vault prints 'The vault is empty.'; with --json it prints nothing."""
    done = cli_vault.run("check", "--all")
    assert (done.returncode, done.stdout) == (EXIT_OK, "The vault is empty.\n")
    as_json = cli_vault.run("check", "--all", "--json")
    assert (as_json.returncode, as_json.stdout) == (EXIT_OK, "")


def test_check_without_a_vault_exits_3(cli: Cli) -> None:
    """`check` where no vault exists exits 3 and says how to create one."""
    done = cli.run("check", "--all")
    assert done.returncode == EXIT_VAULT
    assert "integration-vault init" in done.stderr


# -- regions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "region",
    [
        "us-east-1",
        "eu-central-2",
        "ap-southeast-4",
        "us-gov-west-1",
        "cn-north-1",
        "cn-northwest-1",
    ],
)
def test_aws_region_shapes_pass_the_offline_check(region: str) -> None:
    """Real AWS region codes (commercial, GovCloud, China) raise no region finding."""
    found = check_values("s3", _with("s3", region=region))
    assert _messages(found, "region") == ""


@pytest.mark.parametrize("region", ["mars-1", "europe", "us-east", "auto", "frankfurt-1"])
def test_s3_region_that_is_not_an_aws_region_is_flagged(region: str) -> None:
    """An S3 region that no AWS region looks like is warned about, naming the field and the fix."""
    found = [f for f in check_values("s3", _with("s3", region=region)) if f.field == "region"]
    assert [f.severity for f in found] == ["warning"]
    assert "not an AWS region" in found[0].message
    assert "us-east-1" in found[0].message


@pytest.mark.parametrize("region", ["auto", "AUTO", ""])
def test_r2_region_auto_or_empty_raises_nothing(region: str) -> None:
    """R2 with region 'auto' (or left empty, which becomes auto) raises no region finding."""
    found = check_values("r2", _with("r2", region=region))
    assert _messages(found, "region") == ""


@pytest.mark.parametrize("region", ["us-east-1", "eu", "weur"])
def test_r2_region_other_than_auto_is_warned_about(region: str) -> None:
    """An R2 region other than 'auto' is a warning saying R2 ignores it and to use auto."""
    found = [f for f in check_values("r2", _with("r2", region=region)) if f.field == "region"]
    assert [f.severity for f in found] == ["warning"]
    assert "R2 ignores the region" in found[0].message
    assert "auto" in found[0].message


def test_cli_check_names_a_bad_s3_region(cli_vault: Cli) -> None:
    """`check` on an S3 integration whose region is 'mars-1' fails (exit 1) naming the region."""
    cli_vault.seed(_data("s3", "Mars exports", region="mars-1"))

    done = cli_vault.run("check", "--all")
    assert done.returncode == EXIT_CHECK_FAILED, done.stdout + done.stderr
    assert "region" in done.stdout
    assert "not an AWS region" in done.stdout


HELP_CENTER_KEYS = [
    ("zendesk", "token"),
    ("intercom", "accessToken"),
    ("helpscout", "apiKey"),
    ("helpjuice", "apiKey"),
    ("freshdesk", "apiKey"),
    ("knowledgeowl", "apiKey"),
]


@pytest.mark.parametrize(("provider", "field"), HELP_CENTER_KEYS)
def test_an_aws_key_pasted_as_a_help_center_key_is_named(provider: str, field: str) -> None:
    """An AKIA… key in a help center's key field is named as an AWS key, with where to look."""
    found = check_values(provider, _with(provider, **{field: "AKIAIOSFODNN7TESTKEY"}))
    assert "is an AWS access key ID" in _messages(found, field)


@pytest.mark.parametrize(("provider", "field"), HELP_CENTER_KEYS)
def test_an_email_pasted_as_a_help_center_key_is_named(provider: str, field: str) -> None:
    """An e-mail address in a help center's key field is named as an e-mail, not a key."""
    found = check_values(provider, _with(provider, **{field: "agent@acme.example"}))
    assert "is an e-mail address, not a key" in _messages(found, field)
