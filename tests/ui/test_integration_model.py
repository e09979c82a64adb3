"""The integration list model: what each column shows, updates in place, sorting, filtering."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import CheckRecord, IntegrationRow
from ui.integration_filter import IntegrationFilterProxy
from ui.integration_model import (
    CHECKED,
    DEFAULT_TARGET,
    ID_ROLE,
    LABEL,
    PROVIDER,
    SHOW_ATTENTION,
    SHOW_CLOUD,
    SHOW_HELPCENTER,
    STATUS,
    STATUS_KIND_ROLE,
    SYNC,
    IntegrationTableModel,
)

NOW = datetime(2024, 2, 26, 16, 30, tzinfo=UTC)


def row(
    ident: str, label: str, provider: str, platform: str, check: CheckRecord | None
) -> IntegrationRow:
    return IntegrationRow(ident, label, provider, platform, NOW, NOW, check)


def check(ok: bool, category: str, minutes_ago: int) -> CheckRecord:
    return CheckRecord(NOW - timedelta(minutes=minutes_ago), ok, category, "message", 120)


def shown(model: IntegrationTableModel, number: int, column: int) -> str:
    return model.data(model.index(number, column), Qt.ItemDataRole.DisplayRole)


def sample_model() -> IntegrationTableModel:
    rows = [
        row("a", "Acme", "s3", "cloud", check(True, "ok", 5)),
        row("b", "Globex", "zendesk", "helpcenter", check(False, "auth", 180)),
        row("c", "Initech", "r2", "cloud", None),
    ]
    return IntegrationTableModel(rows, clock=lambda: NOW)


def labels(proxy: IntegrationFilterProxy) -> list[str]:
    return [proxy.index(n, LABEL).data() for n in range(proxy.rowCount())]


def filtered(model: IntegrationTableModel) -> IntegrationFilterProxy:
    proxy = IntegrationFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def test_columns_show_titles_results_and_ages() -> None:
    """Rows read 'Amazon S3', 'OK', '5 min ago', 'Failed: auth', '3 h ago', 'Not checked'."""
    model = sample_model()

    assert [shown(model, 0, c) for c in (LABEL, PROVIDER, STATUS, CHECKED, SYNC)] == [
        "Acme",
        "Amazon S3",
        "OK",
        "5 min ago",
        "local only",
    ]
    assert shown(model, 1, STATUS) == "Failed: auth"
    assert shown(model, 1, CHECKED) == "3 h ago"
    assert shown(model, 2, STATUS) == "Not checked"
    assert shown(model, 2, CHECKED) == "—"
    assert model.data(model.index(2, LABEL), ID_ROLE) == "c"
    assert not model.data(model.index(0, LABEL), Qt.ItemDataRole.DecorationRole).isNull()


def test_a_passing_check_older_than_30_days_is_stale() -> None:
    """An OK result 45 days old reads 'Stale' and its tooltip says to verify again."""
    old = check(True, "ok", 45 * 24 * 60)
    model = IntegrationTableModel([row("a", "Acme", "s3", "cloud", old)], clock=lambda: NOW)

    assert shown(model, 0, STATUS) == "Stale"
    assert model.data(model.index(0, STATUS), STATUS_KIND_ROLE) == "stale"
    assert "Verify again" in model.data(model.index(0, STATUS), Qt.ItemDataRole.ToolTipRole)
    assert shown(model, 0, CHECKED) == "45 days ago"
    assert "stale" in model.data(model.index(0, CHECKED), Qt.ItemDataRole.ToolTipRole)


def test_a_new_check_updates_its_row_in_place(qtbot: QtBot) -> None:
    """Recording a check changes that row with dataChanged; the model is never reset."""
    model = sample_model()

    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged) as seen:
        assert model.put_check("c", check(False, "not_found", 0))

    assert seen.args[0].row() == 2 and seen.args[1].row() == 2
    assert shown(model, 2, STATUS) == "Failed: not found"
    assert shown(model, 2, CHECKED) == "just now"


def test_a_busy_row_reads_checking_until_its_result(qtbot: QtBot) -> None:
    """A row being checked says 'Checking…'; its result replaces that."""
    model = sample_model()

    model.set_busy(["a"], True)
    assert shown(model, 0, STATUS) == "Checking…"
    model.put_check("a", check(False, "timeout", 0))
    assert shown(model, 0, STATUS) == "Failed: timeout"
    assert not model.is_busy("a")


def test_rows_are_inserted_and_removed_without_reset(qtbot: QtBot) -> None:
    """Adding and deleting integrations insert and remove single rows."""
    model = sample_model()
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.rowsInserted):
            model.put(row("d", "Hooli", "freshdesk", "helpcenter", None))
        assert model.rowCount() == 4
        with qtbot.waitSignal(model.rowsRemoved):
            assert model.remove("a")
    assert [shown(model, n, LABEL) for n in range(model.rowCount())] == [
        "Globex",
        "Initech",
        "Hooli",
    ]
    assert not model.remove("a")


def test_sorting_by_check_time_and_by_status() -> None:
    """'Checked' sorts by time (not text); 'Status' puts failures, then unchecked, first."""
    model = sample_model()
    proxy = filtered(model)

    proxy.sort(CHECKED, Qt.SortOrder.DescendingOrder)
    assert labels(proxy) == ["Acme", "Globex", "Initech"]

    proxy.sort(STATUS, Qt.SortOrder.AscendingOrder)
    assert labels(proxy) == ["Globex", "Initech", "Acme"]

    model.put(row("d", "Aardvark", "s3", "cloud", None))
    model.resort()
    assert labels(proxy) == ["Globex", "Aardvark", "Initech", "Acme"]


def test_side_list_views_and_counts() -> None:
    """Cloud, Help centers and Needs attention (failed, unchecked, stale) show their rows."""
    model = sample_model()
    model.put(row("d", "Hooli", "s3", "cloud", check(True, "ok", 40 * 24 * 60)))
    proxy = filtered(model)

    proxy.set_view(SHOW_CLOUD)
    assert labels(proxy) == ["Acme", "Initech", "Hooli"]
    proxy.set_view(SHOW_HELPCENTER)
    assert labels(proxy) == ["Globex"]
    proxy.set_view(SHOW_ATTENTION)
    assert labels(proxy) == ["Globex", "Initech", "Hooli"]
    assert model.counts() == {"all": 4, "cloud": 3, "helpcenter": 1, "attention": 3}


def test_search_covers_labels_providers_and_non_secret_fields() -> None:
    """Typing 'zendesk', 'acme-shots' (a bucket) or 'INI' finds the rows that hold it."""
    model = sample_model()
    model.set_details({"a": "acme-shots us-east-1 AKIAEXAMPLE", "b": "globex agent@globex.com"})
    proxy = filtered(model)

    proxy.set_search("zendesk")
    assert labels(proxy) == ["Globex"]
    proxy.set_search("acme-shots")
    assert labels(proxy) == ["Acme"]
    proxy.set_search("  INI ")
    assert labels(proxy) == ["Initech"]
    proxy.set_search("agent@globex")
    assert labels(proxy) == ["Globex"]
    proxy.set_search("")
    assert len(labels(proxy)) == 3


def test_default_export_targets_get_a_star() -> None:
    """Integrations named as default export targets show a star in the first column."""
    model = sample_model()
    assert not model.has_default_targets()

    model.set_default_targets({"c"})

    assert [shown(model, n, DEFAULT_TARGET) for n in range(3)] == ["", "", "★"]
    assert model.has_default_targets()


def test_sync_state_is_shown_with_its_error() -> None:
    """The Sync column reads 'synced', 'modified since sync' or 'error: …' as the row says."""
    base = row("a", "Acme", "s3", "cloud", None)
    model = IntegrationTableModel(
        [
            base,
            replace(base, id="b", label="B", sync_state="synced"),
            replace(base, id="c", label="C", sync_state="modified"),
            replace(base, id="d", label="D", sync_error="server unreachable"),
        ],
        clock=lambda: NOW,
    )

    assert [shown(model, n, SYNC) for n in range(4)] == [
        "local only",
        "synced",
        "modified since sync",
        "error: server unreachable",
    ]
    assert model.has_sync_states()
