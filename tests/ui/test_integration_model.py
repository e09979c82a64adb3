"""The integration list model: what each column shows, updates in place, sorting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import CheckRecord, IntegrationRow
from ui.integration_model import (
    CHECKED,
    ID_ROLE,
    LABEL,
    LAST_CHECK,
    PLATFORM,
    PROVIDER,
    IntegrationSortProxy,
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


def test_columns_show_titles_results_and_ages() -> None:
    """Rows read 'Amazon S3', 'Cloud storage', 'OK', '5 min ago', 'Failed: auth', 'Not checked'."""
    model = sample_model()

    assert [shown(model, 0, c) for c in (LABEL, PROVIDER, PLATFORM, LAST_CHECK, CHECKED)] == [
        "Acme",
        "Amazon S3",
        "Cloud storage",
        "OK",
        "5 min ago",
    ]
    assert shown(model, 1, PLATFORM) == "Help center"
    assert shown(model, 1, LAST_CHECK) == "Failed: auth"
    assert shown(model, 1, CHECKED) == "3 h ago"
    assert shown(model, 2, LAST_CHECK) == "Not checked"
    assert model.data(model.index(2, LABEL), ID_ROLE) == "c"


def test_a_new_check_updates_its_row_in_place(qtbot: QtBot) -> None:
    """Recording a check changes that row with dataChanged; the model is never reset."""
    model = sample_model()
    updated = row("c", "Initech", "r2", "cloud", check(False, "not_found", 0))

    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged) as seen:
        number = model.put(updated)

    assert number == 2
    assert seen.args[0].row() == 2 and seen.args[1].row() == 2
    assert shown(model, 2, LAST_CHECK) == "Failed: not found"
    assert shown(model, 2, CHECKED) == "just now"


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


def test_sorting_by_check_time_and_filtering() -> None:
    """The proxy sorts 'Checked' by time (not text) and filters on any column's text."""
    model = sample_model()
    proxy = IntegrationSortProxy()
    proxy.setSourceModel(model)

    proxy.sort(CHECKED, Qt.SortOrder.DescendingOrder)
    labels = [proxy.index(n, LABEL).data() for n in range(proxy.rowCount())]
    assert labels == ["Acme", "Globex", "Initech"]

    proxy.sort(LAST_CHECK, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, LABEL).data() == "Globex"  # failures first

    proxy.setFilterFixedString("help center")
    assert [proxy.index(n, LABEL).data() for n in range(proxy.rowCount())] == ["Globex"]
