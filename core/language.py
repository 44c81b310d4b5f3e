"""`/language`: the user picks the language the bot speaks with them (buttons, or
`/language es`); stored on the user, so it survives restarts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from core import callbacks
from core.callbacks import CallbackData
from core.context import Context
from core.errors import UserError
from core.i18n import Text, normalize
from core.types import Button


@dataclass(frozen=True, slots=True)
class LanguageButton(CallbackData, prefix="lang"):
    code: Annotated[str, callbacks.Text(16, r"[a-z]{2,3}(-[a-z0-9]{2,8})?")]


def _buttons(ctx: Context) -> list[list[Button]]:
    texts = ctx.kernel.texts
    names = [Button(("✓ " if lang == ctx.t.language else "") + texts.name(lang),
                    LanguageButton(lang).pack()) for lang in texts.languages]
    return [names[i:i + 2] for i in range(0, len(names), 2)]


async def _choose(ctx: Context, code: str) -> str:
    texts = ctx.kernel.texts
    wanted = normalize(code)
    if wanted not in texts.languages:
        available = ", ".join(f"{texts.name(lang)} ({lang})" for lang in texts.languages)
        raise UserError(Text("language-unknown", code=code[:16], available=available))
    await ctx.service("users").set_locale(ctx.user.id, wanted)
    t = texts(wanted)
    return t("language-changed", language=texts.name(wanted))


async def language(ctx: Context) -> None:
    """Choose your language"""
    if ctx.args:
        await ctx.reply(await _choose(ctx, ctx.args[0]))
        return
    current = ctx.kernel.texts.name(ctx.t.language)
    await ctx.reply(ctx.t("language-current", language=current) + "\n" +
                    ctx.t("language-choose"), _buttons(ctx))


async def language_pressed(ctx: Context) -> None:
    text = await _choose(ctx, ctx.button(LanguageButton).code)
    await ctx.edit(text)
    await ctx.answer()
