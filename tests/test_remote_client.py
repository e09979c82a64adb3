"""The remote Integration API client against the stateful API double on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from app import remote
from app.errors import UserFacingError
from app.remote import IntegrationApi, RemoteConfig, RemoteError
from tests.conftest import S3_KEY_ID, S3_SECRET
from tests.doubles.integration_api import IntegrationApiDouble

API_KEY = "test-api-key"
TIMEOUT_S = 0.5
RECORD = {
    "label": "Support S3 export",
    "platform": "cloud",
    "provider": "s3",
    "credentials": {
        "bucket": "support-shots",
        "region": "us-east-1",
        "accessKeyId": S3_KEY_ID,
        "secretAccessKey": S3_SECRET,
    },
}


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the retry back-off short so retried calls take milliseconds."""
    monkeypatch.setattr(remote, "RETRY_DELAYS_S", (0.01, 0.02, 0.03))


@pytest.fixture
def double() -> Iterator[IntegrationApiDouble]:
    running = IntegrationApiDouble(slow_s=1.5).start()
    yield running
    running.stop()


def client(
    double: IntegrationApiDouble,
    key: str = API_KEY,
    header: str = "Authorization",
    scheme: str = "Bearer",
) -> IntegrationApi:
    return IntegrationApi(RemoteConfig(double.url, SecretStr(key), header, scheme), TIMEOUT_S)


@pytest.fixture
def api(double: IntegrationApiDouble) -> Iterator[IntegrationApi]:
    opened = client(double)
    yield opened
    opened.close()


def count(double: IntegrationApiDouble, method: str) -> int:
    return sum(1 for seen, _ in double.calls if seen == method)


def stored(double: IntegrationApiDouble, remote_id: str) -> dict[str, Any]:
    record = double.records[remote_id]
    return {k: record[k] for k in ("label", "platform", "provider", "credentials")}


# -- connection settings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://api.example.com/v1",
        "http://127.0.0.1.example.com",
        "http://localhost.example.com",
        "ftp://127.0.0.1",
        "127.0.0.1:8080",
    ],
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    """An API address that would send the key unencrypted to another machine is refused."""
    with pytest.raises(UserFacingError, match=r"HTTPS|https://"):
        RemoteConfig(url, SecretStr(API_KEY))


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example.com",
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
        "http://127.0.0.2",
    ],
)
def test_https_and_loopback_addresses_are_accepted(url: str) -> None:
    """HTTPS anywhere, and plain http on loopback addresses, are accepted as the API address."""
    assert RemoteConfig(url, SecretStr(API_KEY)).url == url


def test_key_travels_as_authorization_bearer_by_default(double: IntegrationApiDouble) -> None:
    """By default the key is sent as 'Authorization: Bearer KEY' and the server accepts it."""
    config = RemoteConfig(double.url, SecretStr(API_KEY))

    assert config.auth_header() == {"Authorization": f"Bearer {API_KEY}"}
    opened = IntegrationApi(config, TIMEOUT_S)
    assert "connected" in opened.test()
    opened.close()


def test_custom_header_without_scheme_reaches_the_server(double: IntegrationApiDouble) -> None:
    """A server that wants 'X-Api-Key: KEY' accepts the key sent with that header and no scheme."""
    double.header, double.scheme = "X-Api-Key", ""

    with pytest.raises(RemoteError, match="API key"):
        client(double).test()
    assert "connected" in client(double, header="X-Api-Key", scheme="").test()


@pytest.mark.parametrize("header", ["", "X Api Key", "Authorization:", "X-Key\r\nEvil: 1"])
def test_malformed_header_names_are_refused(header: str) -> None:
    """A header name with spaces, colons or line breaks is refused before any call."""
    with pytest.raises(UserFacingError, match="header"):
        RemoteConfig("https://api.example.com", SecretStr(API_KEY), header)


def test_empty_api_key_is_refused() -> None:
    """An empty API key is refused with a message naming the key."""
    with pytest.raises(UserFacingError, match="api key"):
        RemoteConfig("https://api.example.com", SecretStr("   "))


# -- the calls -------------------------------------------------------------------------


def test_create_fetch_update_delete_round_trip(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A created record is stored as sent, can be fetched, updated and deleted."""
    stamp = api.create(RECORD)
    assert stored(double, stamp.id) == RECORD

    fetched = api.fetch(stamp.id)
    assert fetched.label == RECORD["label"]
    assert fetched.credentials == RECORD["credentials"]
    assert fetched.updated_at == stamp.updated_at

    changed = {**RECORD, "label": "Renamed export"}
    updated = api.update(stamp.id, changed)
    assert updated.updated_at > stamp.updated_at
    assert stored(double, stamp.id) == changed

    api.delete(stamp.id)
    assert stamp.id not in double.records


def test_remote_verify_reports_the_servers_verdict(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """The API's own check says whether stored or given credentials connect, with its message."""
    stamp = api.create(RECORD)
    assert api.verify({"integrationId": stamp.id}) == (True, "Connection successful")

    broken = {
        "platform": "helpcenter",
        "provider": "helpscout",
        "credentials": {"apiKey": "invalid"},
    }
    ok, message = api.verify(broken)
    assert not ok
    assert "credentials rejected" in message


# -- timeouts and retries --------------------------------------------------------------


def test_slow_create_fails_naming_the_timeout(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A server that answers too late gives an error naming the timeout, without waiting it out."""
    double.fail_next("slow")
    started = time.monotonic()

    with pytest.raises(RemoteError, match=r"did not answer within 0\.5 seconds") as caught:
        api.create(RECORD)
    assert time.monotonic() - started < 1.2
    assert caught.value.kind == "network"
    assert count(double, "POST") == 1


def test_fetch_that_stays_slow_gives_up_in_bounded_time(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A fetch that times out on every attempt stops after the last retry with a timeout error."""
    double.fail_next("slow", "slow", "slow", "slow")
    started = time.monotonic()

    with pytest.raises(RemoteError, match=r"within 0\.5 seconds"):
        api.fetch("0b8f4f4e-0000-4000-8000-000000000000")
    assert time.monotonic() - started < 4 * TIMEOUT_S + 1.0
    assert count(double, "GET") == len(remote.RETRY_DELAYS_S) + 1


@pytest.mark.parametrize("failure", ["500", "drop", "429", "slow"])
def test_create_is_never_retried(
    api: IntegrationApi, double: IntegrationApiDouble, failure: str
) -> None:
    """A create that fails is sent once only, so a retry can never store a second copy."""
    double.fail_next(failure)

    with pytest.raises(RemoteError):
        api.create(RECORD)
    assert count(double, "POST") == 1
    assert double.failures == []


def test_verify_is_never_retried(api: IntegrationApi, double: IntegrationApiDouble) -> None:
    """The remote check (a POST) is sent once even when the server fails."""
    double.fail_next("500")

    with pytest.raises(RemoteError, match="HTTP 500"):
        api.verify({"integrationId": "0b8f4f4e-0000-4000-8000-000000000000"})
    assert double.calls == [("POST", "/integration/verify")]


@pytest.mark.parametrize("failure", ["500", "drop", "429", "slow"])
def test_fetch_is_retried_after_a_transient_failure(
    api: IntegrationApi, double: IntegrationApiDouble, failure: str
) -> None:
    """A fetch that meets one 5xx, 429, dropped connection or timeout is retried and succeeds."""
    stamp = api.create(RECORD)
    double.calls.clear()
    double.fail_next(failure)

    assert api.fetch(stamp.id).label == RECORD["label"]
    assert double.calls == [("GET", f"/integration/{stamp.id}")] * 2


def test_update_is_retried_after_a_server_error(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """An update that meets a 500 is sent again and the change reaches the server."""
    stamp = api.create(RECORD)
    double.fail_next("500")

    api.update(stamp.id, {**RECORD, "label": "After retry"})
    assert count(double, "PUT") == 2
    assert double.records[stamp.id]["label"] == "After retry"


def test_delete_is_retried_after_a_dropped_connection(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A delete whose connection drops is sent again and the record is gone."""
    stamp = api.create(RECORD)
    double.fail_next("drop")

    api.delete(stamp.id)
    assert count(double, "DELETE") == 2
    assert double.records == {}


def test_fetch_gives_up_after_the_last_retry(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A server failing every attempt ends in one clear 5xx error after the last retry."""
    double.fail_next(*["500"] * (len(remote.RETRY_DELAYS_S) + 1))

    with pytest.raises(RemoteError, match=r"server failed \(HTTP 500\)") as caught:
        api.fetch("0b8f4f4e-0000-4000-8000-000000000000")
    assert caught.value.kind == "server"
    assert count(double, "GET") == len(remote.RETRY_DELAYS_S) + 1


@pytest.mark.parametrize(
    ("failure", "kind"), [("401", "auth"), ("403", "auth"), ("422", "validation")]
)
def test_fetch_is_not_retried_after_a_client_error(
    api: IntegrationApi, double: IntegrationApiDouble, failure: str, kind: str
) -> None:
    """A 401, 403 or 422 is final: the fetch is not repeated."""
    double.fail_next(failure)

    with pytest.raises(RemoteError) as caught:
        api.fetch("0b8f4f4e-0000-4000-8000-000000000000")
    assert caught.value.kind == kind
    assert count(double, "GET") == 1


def test_unreachable_server_is_reported_as_such(closed_port_url: str) -> None:
    """With nothing listening at the address, the error says the server cannot be reached."""
    opened = IntegrationApi(RemoteConfig(closed_port_url, SecretStr(API_KEY)), TIMEOUT_S)

    with pytest.raises(RemoteError, match="cannot reach the server") as caught:
        opened.create(RECORD)
    assert caught.value.kind == "network"


# -- what failures say -----------------------------------------------------------------


@pytest.mark.parametrize("failure", ["401", "403"])
def test_refused_key_is_reported_as_a_bad_api_key(
    api: IntegrationApi, double: IntegrationApiDouble, failure: str
) -> None:
    """A 401 or 403 tells the person that the API key was refused."""
    double.fail_next(failure)

    with pytest.raises(RemoteError, match=f"refused the API key \\(HTTP {failure}\\)") as caught:
        api.create(RECORD)
    assert caught.value.kind == "auth"


def test_wrong_key_fails_the_connection_test(double: IntegrationApiDouble) -> None:
    """Testing the connection with a wrong key says the API key was refused, not 'connected'."""
    with pytest.raises(RemoteError, match="API key") as caught:
        client(double, key="wrong-key").test()
    assert caught.value.kind == "auth"
    assert "wrong-key" not in str(caught.value)


@pytest.mark.parametrize("shape", ["message", "errors", "detail", "error", "text"])
def test_validation_error_shows_the_servers_message(
    api: IntegrationApi, double: IntegrationApiDouble, shape: str
) -> None:
    """A 422 shows the server's own words (field and message), whatever shape its body has."""
    double.validation_shape = shape
    double.fail_next("422")

    with pytest.raises(RemoteError) as caught:
        api.create(RECORD)
    assert caught.value.kind == "validation"
    assert str(caught.value) == "the server rejected it: credentials.bucket: bucket is required"


def test_server_validation_of_a_real_mistake_is_shown(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A record the server finds invalid is refused with the server's reason and not stored."""
    double.validation_shape = "detail"

    with pytest.raises(RemoteError, match="provider: unknown provider for cloud"):
        api.create({**RECORD, "provider": "dropbox"})
    assert double.records == {}


def test_fetch_of_an_unknown_id_means_no_longer_on_the_server(api: IntegrationApi) -> None:
    """A 404 on fetch is reported as 'no longer on the server'."""
    with pytest.raises(RemoteError, match="no longer on the server") as caught:
        api.fetch("0b8f4f4e-0000-4000-8000-000000000000")
    assert caught.value.kind == "not_found"


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        ("html", "not with JSON"),
        ("list", "not a JSON object"),
        ("incomplete", "incomplete"),
    ],
)
def test_fetch_answer_that_is_not_a_record_is_an_error(
    api: IntegrationApi, double: IntegrationApiDouble, failure: str, said: str
) -> None:
    """A 200 whose body is HTML, a JSON list or a partial record is an error saying so."""
    double.fail_next(failure)

    with pytest.raises(RemoteError, match=said) as caught:
        api.fetch("0b8f4f4e-0000-4000-8000-000000000000")
    assert caught.value.kind == "bad_response"


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        ("html", "not with JSON"),
        ("list", "not a JSON object"),
        ("incomplete", "lacked id, createdAt or updatedAt"),
    ],
)
def test_create_answer_that_is_not_a_stamp_is_an_error(
    api: IntegrationApi, double: IntegrationApiDouble, failure: str, said: str
) -> None:
    """A 200 to a create whose body is not the expected JSON is an error saying so."""
    double.fail_next(failure)

    with pytest.raises(RemoteError, match=said) as caught:
        api.create(RECORD)
    assert caught.value.kind == "bad_response"


def test_verify_answer_without_a_verdict_is_an_error(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A remote check answered with a JSON object lacking the verdict is an error, not 'ok'."""
    double.fail_next("incomplete")

    with pytest.raises(RemoteError, match="no result"):
        api.verify({"integrationId": "0b8f4f4e-0000-4000-8000-000000000000"})


@pytest.mark.parametrize("remote_id", ["", "a/b", "x?y=1", "100%", "two words"])
def test_malformed_remote_id_is_refused_before_any_call(
    api: IntegrationApi, double: IntegrationApiDouble, remote_id: str
) -> None:
    """A remote id that cannot be a path segment is refused without reaching the server."""
    with pytest.raises(RemoteError, match="not a remote id"):
        api.fetch(remote_id)
    assert double.calls == []


def test_answer_trickling_in_is_cut_off_at_the_timeout(
    api: IntegrationApi, double: IntegrationApiDouble
) -> None:
    """A server that dribbles its answer out slowly is given up on in bounded time."""
    double.fail_next("trickle")
    started = time.monotonic()

    with pytest.raises(RemoteError, match="did not answer within"):
        api.create(RECORD)
    assert time.monotonic() - started < 3 * TIMEOUT_S


def test_connection_test_against_another_kind_of_server_fails(moto_url: str) -> None:
    """Testing an address that is not the Integration API says so instead of 'connected'."""
    opened = IntegrationApi(RemoteConfig(moto_url, SecretStr(API_KEY)), TIMEOUT_S)

    with pytest.raises(RemoteError):
        opened.test()
