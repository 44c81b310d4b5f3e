"""`/language`: the user picks the language the bot speaks with them (buttons, or
`/language es`); stored on the user, so it survives restarts."""

from __future__ import annotations

from core.context import Context
from core.errors import UserError
from core.i18n import Text, normalize
from core.types import Button

PREFIX = "lang"


def _buttons(ctx: Context) -> list[list[Button]]:
    texts = ctx.kernel.texts
    names = [Button(("✓ " if lang == ctx.t.language else "") + texts.name(lang),
                    f"{PREFIX}:{lang}") for lang in texts.languages]
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
    _, _, code = (ctx.update.callback_data or "").partition(":")
    text = await _choose(ctx, code)
    await ctx.edit(text)
    await ctx.answer()
