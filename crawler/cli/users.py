"""``dsi users``: people who may sign in to the review app."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from crawler.cli.common import DatabaseOption, JsonOption, database_url

app = typer.Typer(
    help="Review app users: add, change password, disable, list.", no_args_is_help=True
)

PasswordOption = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="The password (default: asked for, not echoed; or $DSI_REVIEW_PASSWORD).",
        envvar="DSI_REVIEW_PASSWORD",
        show_default=False,
    ),
]


def _password(given: str | None) -> str:
    if given is not None:
        return given
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@app.command()
def add(
    username: Annotated[str, typer.Argument(help="The user name to sign in with.")],
    role: Annotated[str, typer.Option(help="curator or admin.")] = "curator",
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Add a user (passwords of 10+ characters, stored as Argon2id hashes).

    Example: dsi users add ada --role admin
    """
    from review.auth import hash_password
    from storage.review_users import add_user
    from storage.session import session_scope

    hashed = hash_password(_password(password))
    with session_scope(database_url(database)) as session:
        add_user(session, username, hashed, role)
    typer.echo(f"added {role} {username}")


@app.command()
def passwd(
    username: Annotated[str, typer.Argument(help="The user name.")],
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Set a user's password; their open sessions end.

    Example: dsi users passwd ada
    """
    from review.auth import hash_password
    from storage.review_users import set_password
    from storage.session import session_scope

    hashed = hash_password(_password(password))
    with session_scope(database_url(database)) as session:
        set_password(session, username, hashed)
    typer.echo(f"password of {username} changed; their sessions ended")


@app.command()
def disable(
    username: Annotated[str, typer.Argument(help="The user name.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again.")] = False,
    database: DatabaseOption = None,
) -> None:
    """Disable a user (they cannot sign in; their sessions end), or enable them again.

    Example: dsi users disable bob
    """
    from storage.review_users import set_active
    from storage.session import session_scope

    with session_scope(database_url(database)) as session:
        set_active(session, username, enable)
    typer.echo(f"{username} {'enabled' if enable else 'disabled'}")


@app.command(name="list")
def list_(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """List users with their role and whether they are active.

    Example: dsi users list --json
    """
    from storage.review_users import list_users
    from storage.session import session_scope

    with session_scope(database_url(database)) as session:
        rows = [
            {"username": u.username, "role": u.role, "active": u.active}
            for u in list_users(session)
        ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for r in rows:
        typer.echo(f"{r['username']}\t{r['role']}\t{'active' if r['active'] else 'disabled'}")
