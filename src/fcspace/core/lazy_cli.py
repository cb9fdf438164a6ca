"""Mission subcommand groups of the ``fcspace`` program, imported only when invoked.

The ``fcspace`` program has one subcommand group per mission (``scat``, ``grm``, ``alert``...),
each a typer app in the mission's ``cli`` module, registered by ``"module:attr"`` strings in the
mission's ``mission.py`` (:mod:`fcspace.core.registry`). Mounting them all at start
(``app.add_typer(load(target))``) imports every mission's command-line module on every run.
Here the root group holds, for each registered name, a light placeholder carrying the registry's
help line; the real group is imported and built the first time the name is resolved for
running. ``fcspace --help`` lists every subcommand with its help line from the registry data
without importing any mission cli module.

This is click's documented "lazily loading subcommands" pattern (click documentation, "Advanced
Groups and Context: Lazily Loading Subcommands", https://click.palletsprojects.com/en/stable/
complex/#lazily-loading-subcommands: a ``Group`` whose ``get_command`` imports on demand),
applied to typer's root group class, whatever class the app already uses (``cls=``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup
from typer.models import DefaultPlaceholder

from fcspace.core.registry import load

__all__ = ["PendingGroup", "lazy_group_class", "mount_lazily"]


class PendingGroup(TyperGroup):
    """Placeholder of a mission's subcommand group: its name and help line, not yet imported.

    Parameters
    ----------
    name, help
        Subcommand name and one-line help (from the registry).
    target
        ``"module:attr"`` of the mission's typer app.
    """

    def __init__(self, *, name: str, help: str, target: str) -> None:  # noqa: A002 (click)
        super().__init__(name=name, help=help)
        self.target = target

    def load(self) -> TyperGroup:
        """Import the mission's typer app and build its command group (named, with help).

        The registry's help line wins over the app's own, as ``add_typer(help=...)`` does.
        """
        group = typer.main.get_group(load(self.target))
        group.name, group.help = self.name, self.help
        return group


def lazy_group_class(
    base: type[TyperGroup], entries: Iterable[tuple[str, str, str]]
) -> type[TyperGroup]:
    """A subclass of ``base`` holding ``entries`` (name, ``"module:attr"``, help) lazily.

    The placeholders sit after the plain commands and before the other groups, where
    ``add_typer`` would have put them (same ``--help`` order).
    """
    table = tuple(entries)

    class LazyGroup(base):  # type: ignore[valid-type,misc]
        lazy_entries: ClassVar[tuple[tuple[str, str, str], ...]] = table

        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            self._listing = 0
            items = list(self.commands.items())
            plain = {n: c for n, c in items if not isinstance(c, TyperGroup)}
            groups = {n: c for n, c in items if isinstance(c, TyperGroup)}
            pending = {n: PendingGroup(name=n, help=h, target=t) for n, t, h in self.lazy_entries}
            self.commands = plain | pending | groups

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            """The subcommand; a mission group is imported here unless help is being listed."""
            cmd = super().get_command(ctx, cmd_name)
            if isinstance(cmd, PendingGroup) and not self._listing:
                cmd = self.commands[cmd_name] = cmd.load()
            return cmd

        def format_help(self, ctx: Any, formatter: Any) -> None:
            """Help of the root group: subcommands listed from the registry, none imported."""
            self._listing += 1
            try:
                super().format_help(ctx, formatter)
            finally:
                self._listing -= 1

    LazyGroup.__qualname__ = f"Lazy{base.__name__}"
    return LazyGroup


def mount_lazily(app: typer.Typer, entries: Iterable[tuple[str, str, str]]) -> None:
    """Mount ``entries`` (name, ``"module:attr"`` of a typer app, help) on ``app``, lazily.

    The app's group class (its ``cls=``, default :class:`typer.core.TyperGroup`) is replaced by
    :func:`lazy_group_class` of it; call this before the app runs.
    """
    base = app.info.cls
    if isinstance(base, DefaultPlaceholder):
        base = base.value
    app.info.cls = lazy_group_class(base or TyperGroup, entries)
