"""Reminders and the weekly digest through CKAN's mailer, received by a real SMTP server on
loopback (aiosmtpd); never the same dataset and state twice. Clock frozen (freezegun)."""

from __future__ import annotations

import email
import email.policy
import os
import socket
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lutsk.deadlines import mail as deadline_mail
from ckanext.lutsk.model import mail_log
from tests.lutsk_factories import body_org, dataset

# The port test.ini names (127.0.0.1:8025), shifted by the test slot so parallel runs don't clash.
SMTP_PORT = 8025 + int(os.environ.get("LUTSK_TEST_SLOT") or 0)

D0 = "2026-03-02 10:00:00"  # Monday, ISO week 10
D1 = "2026-03-06 10:00:00"  # Friday of the same week
D2 = "2026-03-09 10:00:00"  # Monday, week 11


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        msg["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def take(self) -> dict[str, email.message.EmailMessage]:
        """The messages received since the last call, by recipient."""
        got = {m["X-Envelope-To"]: m for m in self.messages}
        assert len(got) == len(self.messages), "one mail per recipient"
        self.messages.clear()
        return got


@pytest.fixture(scope="module")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{SMTP_PORT}")
    smtp_server.messages.clear()
    return smtp_server


def body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def world(with_plugins, clean_db, clean_index, freezer, with_request_context):
    freezer.move_to(D0)
    org = body_org("finance-budget")
    common = {"owner_org": org["id"], "date_published": "2025-01-10T09:00:00"}
    dataset(
        name="late-change",
        title="Бюджет 2026",
        update_frequency="once a year",
        maintainer="Олена Коваль",
        maintainer_email="olena@lutskrada.gov.ua",
        data_updated="2026-02-01T09:00:00",
        data_changed="2026-02-20",
        **common,
    )
    dataset(
        name="changed-today",
        title="Доходи бюджету",
        update_frequency="once a year",
        maintainer_email="Olena@LutskRada.gov.ua",
        data_updated="2026-02-01T09:00:00",
        data_changed="2026-03-02",
        **common,
    )
    dataset(
        name="late-monthly",
        title="Видатки бюджету",
        update_frequency="once a month",
        maintainer="Петро Мельник",
        maintainer_email="petro@lutskrada.gov.ua",
        data_updated="2026-01-05T09:00:00",
        **common,
    )
    dataset(
        name="fine",
        update_frequency="once a year",
        maintainer_email="olena@lutskrada.gov.ua",
        data_updated="2026-02-25T09:00:00",
        **common,
    )
    return org


class TestReminders:
    def test_each_address_gets_its_datasets_once(self, world, inbox, freezer):
        outcomes = deadline_mail.send_reminders()
        assert {(o.recipient, o.datasets) for o in outcomes} == {
            ("olena@lutskrada.gov.ua", 2),
            ("petro@lutskrada.gov.ua", 1),
        }
        mails = inbox.take()
        assert set(mails) == {"olena@lutskrada.gov.ua", "petro@lutskrada.gov.ua"}
        olena = mails["olena@lutskrada.gov.ua"]
        assert olena["Subject"] == "Портал відкритих даних: 2 набори даних потребують оновлення"
        text = body(olena)
        assert text.startswith("Добрий день, Олена Коваль!")
        assert (
            "Прострочено:\n- Бюджет 2026 (Департамент фінансів та бюджету): Прострочено: зміни не оприлюднено"
            in text
        )
        assert "строк — 25.02.2026, прострочено на 3 робочі дні" in text
        assert "http://test.lutsk.local/dataset/late-change" in text
        assert (
            "Незабаром строк:\n- Доходи бюджету (Департамент фінансів та бюджету): оновити до 05.03.2026"
            in text
        )
        assert "http://test.lutsk.local/organization/finance-budget/deadlines" in text
        assert "fine" not in text
        assert "Видатки бюджету" in body(mails["petro@lutskrada.gov.ua"])

        again = deadline_mail.send_reminders()
        assert {(o.recipient, o.datasets, o.already_sent) for o in again} == {
            ("olena@lutskrada.gov.ua", 0, 2),
            ("petro@lutskrada.gov.ua", 0, 1),
        }
        assert inbox.take() == {}

        # Friday: the change made on Monday is now late, a new state: one mail, one dataset.
        freezer.move_to(D1)
        deadline_mail.send_reminders()
        mails = inbox.take()
        assert set(mails) == {"olena@lutskrada.gov.ua"}
        text = body(mails["olena@lutskrada.gov.ua"])
        assert "Доходи бюджету" in text and "Бюджет 2026" not in text
        assert mails["olena@lutskrada.gov.ua"]["Subject"].endswith("1 набір даних потребує оновлення")

    def test_dry_run_sends_and_records_nothing(self, world, inbox):
        outcomes = deadline_mail.send_reminders(dry_run=True)
        assert sum(o.datasets for o in outcomes) == 3
        assert inbox.take() == {}
        assert mail_log.sent_keys(mail_log.REMINDER, "olena@lutskrada.gov.ua") == set()

    def test_a_failed_send_is_retried_next_run(self, world, inbox, ckan_config, monkeypatch):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{closed}")
        outcomes = deadline_mail.send_reminders()
        assert all(o.error for o in outcomes)
        assert mail_log.sent_keys(mail_log.REMINDER, "petro@lutskrada.gov.ua") == set()
        monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{SMTP_PORT}")
        deadline_mail.send_reminders()
        assert len(inbox.take()) == 2

    @pytest.mark.usefixtures("with_extended_cli")
    def test_cli(self, world, inbox, cli):
        result = cli.invoke(ckan, ["lutsk", "deadlines", "remind", "--days", "0"])
        assert result.exit_code == 0, result.output
        # Within 0 working days only the overdue datasets are news.
        assert "olena@lutskrada.gov.ua: sent 1 datasets (0 already told)" in result.output
        assert "petro@lutskrada.gov.ua: sent 1 datasets (0 already told)" in result.output
        assert len(inbox.take()) == 2

    @pytest.mark.usefixtures("with_extended_cli")
    def test_pruning_the_log_keeps_what_still_stops_a_repeat(self, world, inbox, freezer, cli):
        deadline_mail.send_reminders()  # Monday: two overdue, one due soon
        inbox.take()
        week = mail_log.SentNotice(
            kind=mail_log.DIGEST_WEEK,
            recipient="ikt@lutskrada.gov.ua",
            occurrence="2026-W10",
            sent_at=datetime.fromisoformat(D0),
        )
        model.Session.add(week)
        model.Session.commit()

        freezer.move_to("2026-04-11 10:00:00")  # 40 days later, nothing updated
        assert cli.invoke(ckan, ["lutsk", "deadlines", "prune-mail-log", "--keep-days", "0"]).exit_code == 2
        result = cli.invoke(ckan, ["lutsk", "deadlines", "prune-mail-log", "--keep-days", "30"])
        assert result.exit_code == 0, result.output
        # The due-soon notice (that dataset is late now, a new state) and the digest week go;
        # the datasets still late for the same deadline keep theirs.
        assert "2 old mail records deleted." in result.output
        olena = mail_log.sent_keys(mail_log.REMINDER, "olena@lutskrada.gov.ua")
        assert {state for _id, state, _due in olena} == {"overdue_change"} and len(olena) == 1
        assert len(mail_log.sent_keys(mail_log.REMINDER, "petro@lutskrada.gov.ua")) == 1

        again = deadline_mail.send_reminders()
        assert {(o.recipient, o.datasets, o.already_sent) for o in again} == {
            ("olena@lutskrada.gov.ua", 1, 1),
            ("petro@lutskrada.gov.ua", 0, 1),
        }


class TestDigest:
    @pytest.mark.ckan_config("ckanext.lutsk.ict_email", "ikt@lutskrada.gov.ua")
    def test_weekly_once_and_new_datasets_only(self, world, inbox, freezer):
        deadline_mail.send_digest()
        digest = inbox.take()["ikt@lutskrada.gov.ua"]
        assert digest["Subject"] == "Портал відкритих даних: строки оновлення станом на 02.03.2026"
        text = body(digest)
        assert "Вчасно: 50 %; наборів даних: 4; прострочено: 2." in text
        assert "- Департамент фінансів та бюджету: 50 %, 2" in text
        assert "Прострочено з часу попереднього зведення:" in text
        assert "late-change" in text and "late-monthly" in text
        assert "http://test.lutsk.local/lutsk/deadlines" in text

        freezer.move_to(D1)  # same week: no second digest
        assert [o.datasets for o in deadline_mail.send_digest()] == [0]
        assert inbox.take() == {}

        freezer.move_to(D2)  # next week: the one newly late, the others as a count
        deadline_mail.send_digest()
        text = body(inbox.take()["ikt@lutskrada.gov.ua"])
        assert "changed-today" in text and "late-change" not in text
        assert "Ще 2 прострочені набори даних були в попередніх зведеннях." in text

    @pytest.mark.usefixtures("with_extended_cli")
    def test_ict_members_by_default(self, world, inbox, cli):
        ict = body_org("ict")
        member = factories.User(email="it-head@lutskrada.gov.ua", fullname="Сергій Поліщук")
        call_action("organization_member_create", id=ict["id"], username=member["name"], role="member")
        result = cli.invoke(ckan, ["lutsk", "deadlines", "digest"])
        assert result.exit_code == 0, result.output
        assert set(inbox.take()) == {"it-head@lutskrada.gov.ua"}

    @pytest.mark.usefixtures("with_extended_cli")
    def test_no_recipient_is_an_error(self, world, inbox, cli):
        result = cli.invoke(ckan, ["lutsk", "deadlines", "digest"])
        assert result.exit_code == 1
        assert "no recipient" in result.output
