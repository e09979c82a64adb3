"""Provider credential models: wire names, normalisation, secrecy and field-named errors."""

from __future__ import annotations

import logging

import pytest

from app import timefmt
from app.errors import InvalidInput
from app.models import MASK, Integration, build_credentials, merge_credentials, parse_new
from providers.r2 import R2Credentials
from providers.s3 import S3Credentials
from providers.zendesk import ZendeskCredentials
from tests.conftest import (
    R2_ACCOUNT,
    R2_KEY_ID,
    R2_SECRET,
    S3_KEY_ID,
    S3_SECRET,
    ZENDESK_TOKEN,
    r2_data,
    s3_data,
    zendesk_data,
)


def _fields(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [p.field for p in exc.value.problems]


def _integration(data: dict) -> Integration:
    new = parse_new(data)
    moment = timefmt.now()
    return Integration(
        "id-1", new.label, new.provider, new.platform, new.credentials, moment, moment
    )


# -- wire names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "wire"),
    [
        (
            s3_data("acme-exports"),
            {
                "bucket": "acme-exports",
                "region": "us-east-1",
                "accessKeyId": S3_KEY_ID,
                "secretAccessKey": S3_SECRET,
            },
        ),
        (
            r2_data("acme-archive"),
            {
                "bucket": "acme-archive",
                "accountId": R2_ACCOUNT,
                "accessKeyId": R2_KEY_ID,
                "secretAccessKey": R2_SECRET,
                "region": "auto",
            },
        ),
        (
            zendesk_data(),
            {"subdomain": "acme", "username": "agent@acme.test", "token": ZENDESK_TOKEN},
        ),
    ],
    ids=["s3", "r2", "zendesk"],
)
def test_credentials_use_the_api_wire_names(data: dict, wire: dict) -> None:
    """Credentials read and write the camelCase names the remote API uses."""
    new = parse_new(data)
    assert new.credentials.to_wire() == wire


def test_platform_is_filled_in_from_the_provider() -> None:
    """An integration without a platform gets its provider's platform."""
    assert parse_new(s3_data("acme-exports")).platform == "cloud"
    assert parse_new(zendesk_data()).platform == "helpcenter"


def test_secret_fields_are_declared_per_provider() -> None:
    """Each provider names exactly its secret fields."""
    assert S3Credentials.secret_fields() == ["secretAccessKey"]
    assert R2Credentials.secret_fields() == ["secretAccessKey"]
    assert ZendeskCredentials.secret_fields() == ["token"]


# -- secrecy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "secret"),
    [(s3_data("acme-exports"), S3_SECRET), (zendesk_data(), ZENDESK_TOKEN)],
    ids=["s3", "zendesk"],
)
def test_repr_and_str_never_show_a_secret(data: dict, secret: str) -> None:
    """repr, str and formatting of credentials and integrations hide the secret."""
    integration = _integration(data)
    shown = [
        repr(integration.credentials),
        str(integration.credentials),
        repr(integration),
        str(integration),
        f"{integration}",
        integration.credentials.model_dump_json(),
        str(integration.credentials.model_dump()),
    ]
    assert all(secret not in text for text in shown)
    assert (
        integration.credentials.to_wire()[
            "token" if data["provider"] == "zendesk" else "secretAccessKey"
        ]
        == secret
    )


def test_logging_an_integration_never_shows_its_secret(caplog: pytest.LogCaptureFixture) -> None:
    """Logging an integration or its credentials prints them without the secret."""
    integration = _integration(zendesk_data())
    with caplog.at_level(logging.DEBUG, logger="tests.models"):
        log = logging.getLogger("tests.models")
        log.info("integration %s", integration)
        log.info("credentials %r", integration.credentials)

    assert len(caplog.records) == 2
    assert ZENDESK_TOKEN not in caplog.text
    assert "agent@acme.test" in caplog.text


def test_credentials_view_masks_secrets_unless_revealed() -> None:
    """The shown credentials mask secret fields; reveal shows them."""
    integration = _integration(s3_data("acme-exports"))

    masked = integration.credentials_view()
    assert masked["secretAccessKey"] == MASK
    assert masked["accessKeyId"] == S3_KEY_ID
    assert integration.credentials_view(reveal=True)["secretAccessKey"] == S3_SECRET


def test_error_for_a_token_in_the_wrong_field_does_not_echo_it() -> None:
    """A token pasted into the e-mail field is refused without repeating the token."""
    data = zendesk_data()
    data["credentials"]["username"] = ZENDESK_TOKEN

    with pytest.raises(InvalidInput) as caught:
        parse_new(data)
    assert _fields(caught) == ["credentials.username"]
    assert ZENDESK_TOKEN not in str(caught.value)


def test_error_for_a_secret_in_the_subdomain_field_does_not_echo_it() -> None:
    """A dotted token pasted into the subdomain field is refused without repeating it."""
    token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ"
    data = zendesk_data(subdomain=token)

    with pytest.raises(InvalidInput) as caught:
        parse_new(data)
    assert _fields(caught) == ["credentials.subdomain"]
    assert token.lower() not in str(caught.value).lower()


# -- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        "https://example.zendesk.com/",
        "https://example.zendesk.com/hc/en-us",
        "example.zendesk.com",
        "  Example  ",
        "example",
    ],
)
def test_zendesk_subdomain_is_reduced_to_its_name(pasted: str) -> None:
    """A pasted Zendesk address or padded name is stored as just the subdomain."""
    creds = build_credentials("zendesk", {**zendesk_data()["credentials"], "subdomain": pasted})
    assert creds.to_wire()["subdomain"] == "example"


@pytest.mark.parametrize(
    "pasted",
    [
        "https://evil.test@example.zendesk.com",
        "https://example.zendesk.com:8443",
        "example.zendesk.com.evil.test",
        "https://example.evil.test",
        "ftp://example.zendesk.com",
        "exa mple",
    ],
)
def test_zendesk_subdomain_that_could_steer_elsewhere_is_refused(pasted: str) -> None:
    """An address with credentials, a port or another domain is refused at the subdomain field."""
    with pytest.raises(InvalidInput) as caught:
        build_credentials("zendesk", {**zendesk_data()["credentials"], "subdomain": pasted})
    assert _fields(caught) == ["credentials.subdomain"]


def test_surrounding_whitespace_is_stripped_from_every_field() -> None:
    """Spaces and line breaks around pasted values, secrets included, are removed."""
    creds = build_credentials(
        "s3",
        {
            "bucket": " acme-exports\n",
            "region": "\tus-east-1 ",
            "accessKeyId": f"  {S3_KEY_ID} ",
            "secretAccessKey": f"\n{S3_SECRET}  \n",
        },
    )
    assert creds.to_wire() == {
        "bucket": "acme-exports",
        "region": "us-east-1",
        "accessKeyId": S3_KEY_ID,
        "secretAccessKey": S3_SECRET,
    }


def test_label_whitespace_is_collapsed() -> None:
    """A label is stored as one line with single spaces."""
    data = {**zendesk_data(), "label": "  Acme \n  help   center "}
    assert parse_new(data).label == "Acme help center"


def test_provider_name_is_case_and_space_insensitive() -> None:
    """' S3 ' is taken as the s3 provider."""
    assert parse_new({**s3_data("acme-exports"), "provider": " S3 "}).provider == "s3"


def test_r2_region_defaults_to_auto() -> None:
    """An R2 integration without a region is stored with region 'auto'."""
    assert parse_new(r2_data("acme-archive")).credentials.to_wire()["region"] == "auto"


# -- errors that name the field --------------------------------------------------------


def test_unknown_provider_names_the_provider_field() -> None:
    """An unknown provider is refused at 'provider', listing the known ones."""
    with pytest.raises(InvalidInput) as caught:
        parse_new({**s3_data("acme-exports"), "provider": "dropbox"})
    assert _fields(caught) == ["provider"]
    assert "dropbox" in str(caught.value)
    assert "zendesk" in str(caught.value)


def test_platform_that_does_not_match_the_provider_names_platform() -> None:
    """A Zendesk integration declared as cloud storage is refused at 'platform'."""
    with pytest.raises(InvalidInput) as caught:
        parse_new({**zendesk_data(), "platform": "cloud"})
    assert _fields(caught) == ["platform"]


@pytest.mark.parametrize(
    ("provider_data", "drop", "field"),
    [
        (zendesk_data(), "token", "credentials.token"),
        (zendesk_data(), "subdomain", "credentials.subdomain"),
        (s3_data("acme-exports"), "secretAccessKey", "credentials.secretAccessKey"),
        (r2_data("acme-archive"), "accountId", "credentials.accountId"),
    ],
)
def test_missing_field_is_named_by_its_wire_path(
    provider_data: dict, drop: str, field: str
) -> None:
    """A missing credential field is reported as credentials.<wireName>: required."""
    data = {**provider_data, "credentials": dict(provider_data["credentials"])}
    del data["credentials"][drop]

    with pytest.raises(InvalidInput) as caught:
        parse_new(data)
    assert _fields(caught) == [field]
    assert caught.value.problems[0].message == "required"


@pytest.mark.parametrize(
    ("provider_data", "key", "value", "field"),
    [
        (zendesk_data(), "username", "not-an-email", "credentials.username"),
        (zendesk_data(), "token", "   ", "credentials.token"),
        (s3_data("acme-exports"), "bucket", "Acme_Exports", "credentials.bucket"),
        (s3_data("acme-exports"), "region", "us east 1", "credentials.region"),
        (r2_data("acme-archive"), "accountId", "not/an/account", "credentials.accountId"),
        (zendesk_data(), "token", 12345, "credentials.token"),
    ],
)
def test_malformed_field_is_named_by_its_wire_path(
    provider_data: dict, key: str, value: object, field: str
) -> None:
    """A malformed credential value is reported at credentials.<wireName>."""
    data = {**provider_data, "credentials": {**provider_data["credentials"], key: value}}

    with pytest.raises(InvalidInput) as caught:
        parse_new(data)
    assert _fields(caught) == [field]


def test_every_problem_is_reported_at_once() -> None:
    """Several bad fields are all named in one error, label included."""
    data = {
        "label": "",
        "provider": "zendesk",
        "credentials": {"subdomain": "a/b", "username": "nobody"},
        "colour": "blue",
    }
    with pytest.raises(InvalidInput) as caught:
        parse_new(data)
    assert sorted(_fields(caught)) == [
        "colour",
        "credentials.subdomain",
        "credentials.token",
        "credentials.username",
        "label",
    ]


@pytest.mark.parametrize(
    ("provider_data", "extra"),
    [(r2_data("acme-archive"), "subdomain"), (s3_data("acme-exports"), "regoin")],
    ids=["r2-foreign-field", "s3-misspelt-field"],
)
def test_field_the_provider_does_not_have_is_refused(provider_data: dict, extra: str) -> None:
    """A credential field the provider does not have is refused naming that field."""
    data = {**provider_data, "credentials": {**provider_data["credentials"], extra: "x"}}

    with pytest.raises(InvalidInput) as caught:
        parse_new(data)
    assert _fields(caught) == [f"credentials.{extra}"]


def test_s3_account_id_from_the_api_is_accepted_and_dropped() -> None:
    """An S3 record carrying the API's accountId is accepted and stores no accountId."""
    data = s3_data("acme-exports")
    data["credentials"] = {**data["credentials"], "accountId": "123456789012"}

    assert "accountId" not in parse_new(data).credentials.to_wire()


def test_credentials_that_are_not_an_object_are_refused() -> None:
    """Credentials given as a list are refused at 'credentials'."""
    with pytest.raises(InvalidInput) as caught:
        parse_new({**zendesk_data(), "credentials": ["acme"]})
    assert _fields(caught) == ["credentials"]


def test_merge_changes_one_field_and_revalidates() -> None:
    """Editing one field keeps the others; a bad new value is refused at its field."""
    current = parse_new(zendesk_data()).credentials

    merged = merge_credentials(current, {"subdomain": "https://other.zendesk.com"})
    assert merged.to_wire() == {**current.to_wire(), "subdomain": "other"}
    with pytest.raises(InvalidInput) as caught:
        merge_credentials(current, {"username": "nobody"})
    assert _fields(caught) == ["credentials.username"]
