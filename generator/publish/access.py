"""Publish: per-client logins (`--access basic`). An htpasswd file per client (bcrypt hashes only, which nginx
and Caddy both accept), an nginx `server` block and a Caddyfile that serve each client's folder, by path
(`/<id>/`) or by host name, behind that client's own login. They are written beside the web root, never in it:

    DEST/sites/<id>/...          the web root, one folder per client
    DEST/access/htpasswd/<id>    user:hash lines
    DEST/access/nginx.conf       a server block: include it in nginx's http block
    DEST/access/Caddyfile

Anything that is not a client's folder answers 401, whoever asks; dot files (the output marker) are never served.
No password is written, printed or logged; a hash that still matches its password is kept, so a publish that
changes no password changes no file here.
"""

from __future__ import annotations

from pathlib import Path

import bcrypt

from ..write import MARKER, MARKER_TEXT, write_atomic
from .settings import Credentials, Target

ROUNDS = 10  # bcrypt's cost: nginx checks the hash on every request, so a page with its assets pays it many times
NOBODY = ".nobody"  # an empty user file: a login nobody has


def htpasswd(users: dict[str, str], old: str = "") -> str:
    """`user:hash` lines, sorted; an old line whose hash still matches the password is kept as it was."""
    before = dict(line.split(":", 1) for line in old.splitlines() if ":" in line)
    lines = []
    for user, password in sorted(users.items()):
        hashed = before.get(user, "")
        if not (hashed.startswith("$2") and bcrypt.checkpw(password.encode(), hashed.encode())):
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(ROUNDS)).decode()
        lines.append(f"{user}:{hashed}")
    return "\n".join(lines) + "\n"


def write_access(dest: Path, targets: list[Target], credentials: dict[str, Credentials], every: list[Target]) -> list[Path]:
    """The user files of the published clients, and the server configurations of every client with a login
    (`every`: the clients published to this destination, this time or before)."""
    access = dest / "access"
    folder = access / "htpasswd"
    folder.mkdir(parents=True, exist_ok=True)
    if not (access / MARKER).is_file():
        write_atomic(access / MARKER, MARKER_TEXT)  # opsdocs made it: a later publish may write here again
    written = []
    for target in targets:
        path = folder / target.eid
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        new = htpasswd(credentials[target.eid].users, old)
        if new != old:
            write_atomic(path, new.encode())
            written.append(path)
    if not (folder / NOBODY).exists():
        write_atomic(folder / NOBODY, b"")
    guarded = sorted({t.eid: t for t in every if t.access == "basic"}.values(), key=lambda t: t.eid)
    for name, text in (("nginx.conf", nginx(dest, guarded)), ("Caddyfile", caddy(dest, guarded))):
        path = access / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode())
            written.append(path)
    return written


def nginx(dest: Path, targets: list[Target]) -> str:
    root, users = (dest / "sites").resolve(), (dest / "access" / "htpasswd").resolve()
    by_host = [t for t in targets if t.host]
    lines = ["# Written by opsdocs publish: each client's site behind its own login.",
             "# Include it in nginx's http { } block; change 'listen' (and add TLS) as your server needs.", ""]
    for t in by_host:
        lines += ["server {", "    listen 80;", f"    server_name {t.host};", f"    root {root / t.eid};",
                  '    location ~ /\\. { deny all; }',
                  f'    auth_basic "{t.eid}";', f"    auth_basic_user_file {users / t.eid};",
                  "    location / { try_files $uri $uri/ =404; }", "}", ""]
    lines += ["server {", "    listen 80" + (" default_server" if by_host else "") + ";", "    server_name _;",
              f"    root {root};", "    merge_slashes on;", "    absolute_redirect off;",
              "    # Anything that is not a client's folder: a login nobody has.",
              '    auth_basic "opsdocs";', f"    auth_basic_user_file {users / NOBODY};",
              '    location ~ /\\. { deny all; }', "    location / { try_files /.nothing =404; }"]
    for t in targets:
        if t.host:
            continue
        lines += [f"    location /{t.eid}/ {{", f'        auth_basic "{t.eid}";', f"        auth_basic_user_file {users / t.eid};",
                  "        try_files $uri $uri/ =404;", "    }"]
    return "\n".join(lines + ["}", ""])


def caddy(dest: Path, targets: list[Target]) -> str:
    root = (dest / "sites").resolve()
    lines = ["# Written by opsdocs publish: each client's site behind its own login.", ""]
    for t in [t for t in targets if t.host]:
        lines += [f"{t.host} {{", f"\troot * {root / t.eid}", "\tbasicauth {"]
        lines += [f"\t\t{user} {hashed}" for user, hashed in _hashes(dest, t.eid)]
        lines += ["\t}", "\tfile_server {", "\t\thide .*", "\t}", "}", ""]
    by_path = [t for t in targets if not t.host]
    lines += [":80 {", f"\troot * {root}"]
    for t in by_path:
        lines += [f"\tbasicauth /{t.eid}/* {{"]
        lines += [f"\t\t{user} {hashed}" for user, hashed in _hashes(dest, t.eid)]
        lines += ["\t}"]
    outside = " ".join(f"/{t.eid}/*" for t in by_path)
    lines += [f"\t@outside not path {outside}" if outside else "\t@outside path *", "\trespond @outside 401",
              "\tfile_server {", "\t\thide .*", "\t}", "}", ""]
    return "\n".join(lines)


def _hashes(dest: Path, eid: str) -> list[tuple[str, str]]:
    path = dest / "access" / "htpasswd" / eid
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return [tuple(line.split(":", 1)) for line in text.splitlines() if ":" in line]  # type: ignore[misc]
