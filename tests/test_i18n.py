"""Texts in the user's language: the kernel's catalogue, /language, operators' overrides,
locale formats and the `texts` tool."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from core.config import ROOT
from core.errors import ConfigError
from core.formats import Money
from core.i18n import CORE_LOCALES, Source, Text
from core.kernel import Kernel
from core.testing import BotDriver, base_settings, running_bot
from core.texts_tool import Project, check, discover, extract
from core.types import SendInvoice

SAMPLE = "tests.sample_plugin"


async def test_a_russian_user_is_answered_in_russian(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=[SAMPLE]) as bot:
        ivan = bot.user(7, "Иван", language="ru")
        start = await bot.send("/start", user=ivan)
        assert start.text == "Здравствуйте! Отправьте /help, чтобы узнать, что я умею."
        help_ = await bot.send("/help", user=ivan)
        assert help_.text.startswith("Команды:\n")
        assert "/language - Выбрать язык" in help_.text
        assert "/paid - A command that costs 2 (2 кредита)" in help_.text  # plural: 2
        boom = await bot.send("/boom", user=ivan)
        assert boom.text.startswith("Извините, что-то пошло не так.")
        assert await bot.send("/slow", user=ivan)
        assert await bot.send("/slow", user=ivan)
        limited = await bot.send("/slow", user=ivan)
        assert limited.outcome == "limited"
        assert limited.text.startswith("Слишком быстро. Попробуйте снова через ")
        unknown = await bot.send("/nope", user=ivan)
        assert unknown.text.startswith("Неизвестная команда /nope.")


async def test_regional_and_unknown_languages(bot: BotDriver) -> None:
    sofia = bot.user(8, "Sofía", language="es-AR")  # Spanish from Argentina: Spanish
    assert (await bot.send("/start", user=sofia)).text.startswith("¡Hola!")
    hans = bot.user(9, "Hans", language="de")  # no German catalogue: the default language
    assert (await bot.send("/start", user=hans)).text.startswith("Hello!")
    nobody = bot.user(10, "X", language=None)
    assert (await bot.send("/start", user=nobody)).text.startswith("Hello!")


async def test_language_is_chosen_with_buttons_and_survives_a_restart(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        alice = bot.user(42, "Alice", language="ru")
        menu = await bot.send("/language", user=alice)
        assert menu.text == "Ваш язык: Русский.\nВыберите язык:"
        assert [b.text for b in menu.buttons] == ["English", "Español", "✓ Русский"]
        chosen = await bot.press(menu.button("Español"), user=alice)
        assert chosen.text == "Hecho: a partir de ahora te hablaré en Español."
        assert (await bot.send("/start", user=alice)).text.startswith("¡Hola!")
        typed = await bot.send("/language en", user=alice)
        assert typed.text == "Done: I'll speak English with you from now on."
        await bot.send("/language es", user=alice)
        refused = await bot.send("/language xx", user=alice)
        assert refused.outcome == "user_error"
        assert refused.text.startswith("No hablo «xx». Disponibles: English (en)")
        forged = await bot.press("lang:../../etc", user=alice)
        assert forged.outcome == "invalid_button"
        assert forged.alert == "Este botón ya no es válido."
        assert (await bot.press("lang:xx", user=alice)).outcome == "user_error"
    async with running_bot(tmp_path) as bot:  # a restart: the same database
        # Telegram still says Russian, the user chose Spanish: the choice wins.
        alice = bot.user(42, "Alice", language="ru")
        assert (await bot.send("/start", user=alice)).text.startswith("¡Hola!")
        row = await bot.kernel.users.row(42)
        assert row is not None and row["locale"] == "es" and row["language"] == "ru"


async def test_first_contact_language_is_kept_when_telegram_stops_sending_it(
        bot: BotDriver) -> None:
    await bot.send("/start", user=bot.user(5, language="ru"))
    later = await bot.send("/start", user=bot.user(5, language=None))
    assert later.text.startswith("Здравствуйте!")


async def test_set_start_text_still_changes_the_answer_for_every_language(
        bot: BotDriver) -> None:
    # The admin plugin (/set) is not enabled here: set through the runtime service itself.
    await bot.kernel.runtime.set("start_text", "Welcome to the Tea Shop", by=1)
    ivan = bot.user(7, language="ru")
    assert (await bot.send("/start", user=ivan)).text == "Welcome to the Tea Shop"
    await bot.kernel.runtime.set("start_text", "default", by=1)
    assert (await bot.send("/start", user=ivan)).text.startswith("Здравствуйте!")


# ---- plurals and locale formats ----------------------------------------------------------------


def _texts(tmp_path: Path) -> Kernel:
    return Kernel.configure(base_settings(tmp_path))


@pytest.mark.parametrize(("seconds", "word"), [(1, "секунду"), (2, "секунды"), (5, "секунд"),
                                               (21, "секунду"), (22, "секунды"), (11, "секунд"),
                                               (111, "секунд")])
def test_russian_plurals(tmp_path: Path, seconds: int, word: str) -> None:
    t = _texts(tmp_path).texts("ru")
    assert t("error-too-fast", seconds=seconds) == (
        f"Слишком быстро. Попробуйте снова через {seconds} {word}.")


def test_english_and_spanish_plurals(tmp_path: Path) -> None:
    texts = _texts(tmp_path).texts
    assert texts("en")("error-too-fast", seconds=1).endswith("in 1 second.")
    assert texts("en")("error-too-fast", seconds=21).endswith("in 21 seconds.")
    assert texts("es")("error-too-fast", seconds=1).endswith("en 1 segundo.")
    assert texts("es")("error-too-fast", seconds=5).endswith("en 5 segundos.")


def test_numbers_money_and_dates_follow_the_locale(tmp_path: Path) -> None:
    texts = _texts(tmp_path).texts
    en, es, ru = texts("en"), texts("es"), texts("ru")
    assert en.number(1234567) == "1,234,567"
    assert ru.number(1234567) == "1\xa0234\xa0567"
    assert es.number(1234567) == "1.234.567"
    assert en.money(1999, "USD") == "$19.99"
    assert ru.money(1999, "EUR") == "19,99\xa0€"
    assert es.money(1999, "EUR") == "19,99\xa0€"
    assert en.money(1500, "XTR") == "1,500 ⭐"  # Stars are whole: no minor units
    assert en.money(500, "JPY") == "¥500"  # a currency without minor units
    when = datetime(2026, 3, 5, 14, 7)
    assert en.when(when) == "3/5/26, 2:07\u202fPM"
    assert ru.when(when) == "05.03.2026, 14:07"
    # Placeholders given as Money or datetime are formatted by the translator itself.
    assert en("amount-out-of-range", minimum=Money(100, "USD"), maximum=1000) == (
        "The number must be from $1.00 to 1,000.")


def test_a_missing_key_falls_back_to_the_default_language_then_to_the_key(
        tmp_path: Path) -> None:
    kernel = _texts(tmp_path)
    assert kernel.texts("ru")("sample-nothing") == "sample-nothing"
    assert kernel.texts("ru").text(Text("start")).startswith("Здравствуйте")
    assert kernel.texts("ru").text("as it is") == "as it is"


# ---- operators' overrides ------------------------------------------------------------------------


def _override(tmp_path: Path, language: str, text: str) -> Path:
    folder = tmp_path / "locales" / language
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "overrides.ftl"
    path.write_text(text, encoding="utf-8")
    return path


async def test_an_override_replaces_a_text_in_its_language_only(tmp_path: Path) -> None:
    _override(tmp_path, "ru", "# our voice\nstart = Добро пожаловать в чайную, { $unused }!\n"
              .replace(", { $unused }", ""))
    async with running_bot(tmp_path) as bot:
        assert (await bot.send("/start", user=bot.user(7, language="ru"))).text == (
            "Добро пожаловать в чайную!")
        assert (await bot.send("/start", user=bot.user(8, language="en"))).text.startswith(
            "Hello!")
        assert (await bot.send("/help", user=bot.user(7, language="ru"))).text.startswith(
            "Команды:")


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("start = fine\nerror-unexpected = Oops { $reference\n", 2, "syntax error"),
    ("\n\nno-such-text = Hello\n", 3, "unknown text 'no-such-text'"),
    ("start = ok\n\nerror-too-fast = Wait { $minutes } min\n", 3,
     "has no placeholder $minutes (it has: $seconds)"),
])
def test_a_broken_override_stops_start_up_naming_file_and_line(
        tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = _override(tmp_path, "es", text)
    with pytest.raises(ConfigError) as raised:
        Kernel.configure(base_settings(tmp_path))
    [error] = raised.value.errors
    assert error.startswith(f"{path}:{line}: ") and problem in error


def test_an_override_for_a_language_the_bot_does_not_speak_is_refused(tmp_path: Path) -> None:
    path = _override(tmp_path, "de", "start = Hallo!\n")
    with pytest.raises(ConfigError, match=f"{path}:1: language 'de' is not in i18n.languages"):
        Kernel.configure(base_settings(tmp_path))


def test_the_command_line_exits_2_on_a_broken_override(tmp_path: Path) -> None:
    path = _override(tmp_path, "ru", "start = Привет\nstart-oops = { $who\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(BOT_I18N__OVERRIDES_DIR=str(tmp_path / "locales"),
               BOT_DATABASE__URL=f"sqlite:///{tmp_path}/bot.db")
    done = subprocess.run([sys.executable, "-m", "core", "plugins"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"{path}:2: syntax error" in done.stderr
    assert "Traceback" not in done.stderr


# ---- the texts tool ------------------------------------------------------------------------------


def test_texts_check_passes_for_the_shipped_catalogues() -> None:
    problems = check(discover())
    assert problems == []


def test_texts_check_fails_when_a_key_is_removed_from_one_catalogue(tmp_path: Path) -> None:
    project = discover()
    shutil.copytree(CORE_LOCALES.parent, tmp_path / "core",
                    ignore=shutil.ignore_patterns("__pycache__"))
    copy = tmp_path / "core" / "locales"
    spanish = copy / "es.ftl"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        "error-admins-only = Esto es solo para los administradores del bot.\n", ""),
        encoding="utf-8")
    russian = copy / "ru.ftl"
    russian.write_text(russian.read_text(encoding="utf-8").replace(
        "language-current = Ваш язык: { $language }.", "language-current = Ваш язык: { $lang }."),
        encoding="utf-8")
    project.sources = [Source("core", copy) if s.owner == "core" else s
                       for s in project.sources]
    problems = check(project)
    assert any(p.startswith("es: missing error-admins-only") for p in problems), problems
    assert any(p.startswith("ru: placeholders of language-current differ") for p in problems)
    assert not any(p.startswith("en:") for p in problems)


def test_texts_check_reports_unused_keys_and_extract_adds_new_ones(tmp_path: Path) -> None:
    package = tmp_path / "myplugin"
    (package / "locales").mkdir(parents=True)
    (package / "handlers.py").write_text(
        'async def hi(ctx):\n    await ctx.reply(ctx.t("myplugin-hi", name=ctx.user.id))\n')
    (package / "locales" / "en.ftl").write_text("myplugin-old = Old\n")
    project = Project([Source("myplugin", package / "locales")], set(), ["en", "ru"], "en")
    problems = check(project)
    assert any(p.startswith("en: unused myplugin-old") for p in problems)
    assert any(p.startswith("en: missing myplugin-hi") for p in problems)
    report = extract(project)
    assert any("added myplugin-hi" in line for line in report)
    assert any(line.startswith("ru: missing myplugin-hi") for line in report)
    written = (package / "locales" / "en.ftl").read_text()
    assert "myplugin-hi = { $name }" in written and written.startswith("myplugin-old = Old\n")


def test_texts_check_on_the_command_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    done = subprocess.run([sys.executable, "-m", "core", "texts", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "texts complete in en, es, ru" in done.stdout


# ---- the plugins in Russian ---------------------------------------------------------------


@pytest.mark.plugins("credits", "shop")
async def test_a_russian_user_buys_in_the_shop_in_russian(bot: BotDriver) -> None:
    added = await bot.send("/shop_add tea-1 | Чай улун | 21 | Чай | text:Код: 4217 | 5",
                           user=bot.admin)
    assert added.text.startswith("Added tea-1: Чай улун, 21 credits")
    ivan = bot.user(7, "Иван", language="ru")
    await bot.send("/start", user=ivan)
    await bot.service("credits").credit(ivan.id, 23, "test", "test-grant:7")
    balance = await bot.send("/balance", user=ivan)
    assert balance.text.startswith("Баланс: 23 кредита\nУровень: пока нет")
    shop = await bot.send("/shop", user=ivan)
    assert shop.text == "Магазин: выберите категорию."
    listing = await bot.press(shop.button("Чай"), user=ivan)
    card = await bot.press(listing.button("Чай улун"), user=ivan)
    assert "Цена: 21 кредит\nНаличие: Осталось: 5" in card.text
    confirm = await bot.press(card.button("Купить за 21 кредит"), user=ivan)
    assert confirm.text == "Купить «Чай улун» за 21 кредит?"
    bought = await bot.press(confirm.button("Подтвердить"), user=ivan)
    assert bought.alert == "Спасибо!"
    assert "Вы купили «Чай улун» за 21 кредит. Баланс: 2 кредита." in bought.text
    assert "Код: 4217" in bought.text  # the delivery itself
    poor = await bot.press((await bot.press(listing.button("Чай улун"), user=ivan))
                           .button("Купить"), user=ivan)
    refused = await bot.press(poor.button("Подтвердить"), user=ivan)
    assert refused.alert is not None and refused.alert.startswith(
        "«Чай улун» стоит 21 кредит, а на балансе 2 (не хватает 19). Ничего не списано.")


@pytest.mark.plugins("credits")
@pytest.mark.parametrize(("amount", "words"), [(1, "1 кредит"), (2, "2 кредита"),
                                                (5, "5 кредитов"), (21, "21 кредит")])
async def test_russian_plurals_in_the_credits_plugin(bot: BotDriver, amount: int,
                                                     words: str) -> None:
    ivan = bot.user(7, "Иван", language="ru")
    await bot.send("/start", user=ivan)
    await bot.service("credits").credit(ivan.id, amount, "test", "test-grant:7")
    assert (await bot.send("/balance", user=ivan)).text.startswith(f"Баланс: {words}\n")


@pytest.mark.plugins("credits", "payments")
@pytest.mark.bot_settings({"payments.payload_secrets": ["test-secret-0123456789abcdef"]})
async def test_a_russian_user_buys_credits_in_russian(bot: BotDriver) -> None:
    ivan = bot.user(7, "Иван", language="ru")
    menu = await bot.send("/buy", user=ivan)
    assert menu.text == "Выберите пакет кредитов:"
    assert [b.text for b in menu.buttons] == ["100 кредитов: 50 ⭐", "500 кредитов: 200 ⭐"]
    pressed = await bot.press(menu.button("100 кредитов"), user=ivan)
    [invoice] = pressed.of(SendInvoice)
    assert (invoice.title, invoice.description) == ("100 кредитов", "100 кредитов на ваш баланс.")
    paid = await bot.paid(ivan, invoice.payload, "XTR", 50, "charge-ru-1")
    assert "Спасибо! Начислено 100 кредитов за 50 ⭐. Ваш баланс: 100." in paid.text
    assert (await bot.send("/paysupport", user=ivan)).text.startswith(
        "Если нужна помощь с оплатой")
    sofia = bot.user(8, "Sofía", language="es")
    invoice_es = (await bot.send("/buy large", user=sofia)).of(SendInvoice)
    assert invoice_es == [] or invoice_es[0].title == "500 créditos"


@pytest.mark.plugins("admin")
async def test_the_newcomers_glitches_are_gone(bot: BotDriver) -> None:
    await bot.send("/start", user=bot.user(7, "Иван", language="ru"))
    await bot.send("/start", user=bot.user(8, "Nobody", language=None))
    ivan = await bot.send("/user 7", user=bot.admin)
    assert "Language: Русский (ru)" in ivan.text
    nobody = await bot.send("/user 8", user=bot.admin)
    assert "Language: not given by Telegram" in nobody.text and "?" not in nobody.text
    refused = await bot.send("/ban 1", user=bot.admin)
    assert "`" not in refused.text and "admins" not in refused.text.split(".")[0].lower()[14:]
    key_shown = await bot.send("/set nope 1", user=bot.admin)
    assert "There is no setting “nope”" in key_shown.text and "'" not in key_shown.text
